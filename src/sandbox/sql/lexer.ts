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
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE]/.test(sql[i]!)) i++;
      const value = sql.slice(start, i);
      out.push({ kind: 'number', value, upper: value, start, end: i });
      continue;
    }
    if (/[\p{L}_$@]/u.test(c)) {
      while (i < n && /[\p{L}\p{N}_$@]/u.test(sql[i]!)) i++;
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

/** Splits a script into statements on top-level semicolons (quotes and comments respected). */
export function splitStatements(script: string): string[] {
  const tokens = tokenize(script);
  const out: string[] = [];
  let from = 0;
  for (const t of tokens) {
    if ((t.kind === 'punct' && t.value === ';') || t.kind === 'eof') {
      const text = script.slice(from, t.start).trim();
      if (text) out.push(text);
      from = t.end;
    }
  }
  return out;
}
