// Tokenizer for the SQL the simulator accepts. Keeps the original text of each token so that
// view/MV definitions can be stored verbatim.

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Words are upper-cased in `upper`; `value` holds the unquoted text. */
  value: string;
  upper: string;
  start: number;
  end: number;
}

const PUNCT2 = new Set(['<=', '>=', '<>', '!=', '==', '||', '&&']);

// Character classes by code: ASCII without regular expressions (seed scripts are megabytes),
// the Unicode letter/number classes only for non-ASCII characters.
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isWordStart = (code: number, ch: string): boolean =>
  isAsciiLetter(code) || code === 95 /* _ */ || code === 36 /* $ */ || code === 64 /* @ */ || (code > 127 && /\p{L}/u.test(ch));
const isWordPart = (code: number, ch: string): boolean =>
  isAsciiLetter(code) || isDigit(code) || code === 95 || code === 36 || code === 64 || (code > 127 && /[\p{L}\p{N}]/u.test(ch));

/** Splits `sql` into tokens. Throws a plain Error on an unterminated quote. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') { while (i < n && sql[i] !== '\n') i++; continue; }
    if (c === '#') { while (i < n && sql[i] !== '\n') i++; continue; }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    const start = i;
    if (c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted identifier');
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') { value += '`'; i += 2; continue; }
          i++;
          break;
        }
        value += sql[i++];
      }
      out.push({ kind: 'ident', value, upper: value.toUpperCase(), start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated string literal');
        const ch = sql[i]!;
        if (ch === '\\' && i + 1 < n) {
          const e = sql[i + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === '0' ? '\0' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        if (ch === c) {
          if (sql[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      out.push({ kind: 'string', value, upper: value.toUpperCase(), start, end: i });
      continue;
    }
    const code = sql.charCodeAt(i);
    if (isDigit(code) || (c === '.' && isDigit(sql.charCodeAt(i + 1)))) {
      while (i < n && (isDigit(sql.charCodeAt(i)) || sql[i] === '.' || sql[i] === 'e' || sql[i] === 'E')) i++;
      const value = sql.slice(start, i);
      out.push({ kind: 'number', value, upper: value, start, end: i });
      continue;
    }
    if (isWordStart(code, c)) {
      while (i < n && isWordPart(sql.charCodeAt(i), sql[i]!)) i++;
      const value = sql.slice(start, i);
      out.push({ kind: 'word', value, upper: value.toUpperCase(), start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    const value = PUNCT2.has(two) ? two : c;
    i += value.length;
    out.push({ kind: 'punct', value, upper: value, start, end: i });
  }
  out.push({ kind: 'eof', value: '', upper: '', start: n, end: n });
  return out;
}

/**
 * Splits a script into statements on top-level semicolons (quotes and comments respected).
 * Scans characters only, without building tokens: each statement is tokenized once, later.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  const n = script.length;
  let from = 0;
  const push = (to: number): void => {
    const text = script.slice(from, to).trim();
    if (text) out.push(text);
  };
  const special = /[;`'"#/-]/g;
  let i = 0;
  while (i < n) {
    special.lastIndex = i;
    if (!special.exec(script)) break;
    i = special.lastIndex - 1;
    const c = script[i]!;
    if (c === ';') {
      push(i);
      from = ++i;
    } else if ((c === '-' && script[i + 1] === '-') || c === '#') {
      const eol = script.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === '/' && script[i + 1] === '*') {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '`' || c === "'" || c === '"') {
      i++;
      while (i < n && script[i] !== c) i += c !== '`' && script[i] === '\\' ? 2 : 1;
      if (i >= n) throw new Error(c === '`' ? 'unterminated quoted identifier' : 'unterminated string literal');
      i++; // a doubled quote reads as two adjacent quoted pieces: same split either way
    } else i++;
  }
  push(n);
  return out;
}
