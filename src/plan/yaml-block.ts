// Block-style YAML for plain data, written straight out for the common case and by the `yaml`
// library for the rest, with the same text either way. A plan of 100,000 tables is ~200,000 list
// items of short names; the library builds a node per value and tests every string against its
// quoting rules, which cost ~2 s there. Here maps, lists, integers, booleans and simple words
// (letters, digits, `_ . / : -`, not a word YAML reads as true/false/null) are written directly,
// other one-line scalars as the library writes them in that place; an item holding anything more
// (multi-line text, an awkward key, an empty item) is handed to the library whole, indented to
// where it stands. Pure.
import { stringify } from 'yaml';

/** The library's options: no line folding, no anchors. */
const OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * Words the library writes plain with no doubt: no space, quote, `#`, flow or block indicator.
 * Either starting with a letter or `_` (and not ending with `:`), or letters and digits starting
 * with a digit that YAML's core schema does not read as a number (hashes, ids).
 */
const SIMPLE = /^(?:[A-Za-z_][A-Za-z0-9_./:-]*|[0-9][A-Za-z0-9_]*)$/;
/** Words YAML 1.1 or 1.2 could read as something other than a string: left to the library. */
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|[0-9]+|[0-9]+[eE][0-9]+|0[xXoO].*)$/i;

const simpleWord = (s: string): boolean => SIMPLE.test(s) && !s.endsWith(':') && !RESERVED.test(s);

/** Where a scalar stands: a map's value (`key: v`) or a list's item (`- v`). */
type Place = 'value' | 'item';

/**
 * A scalar on one line as the library writes it there: directly when simple, else the library's
 * own text for it in that place (one line: lineWidth 0 never folds). Undefined for a scalar the
 * library writes over several lines (block text), whose indentation depends on where it stands.
 */
function scalar(v: unknown, place: Place, memo: Map<string, string | undefined>): string | undefined {
  if (typeof v === 'string' && simpleWord(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const key = typeof v === 'string' ? `${place}\u0000${v}` : undefined;
  if (key !== undefined && memo.has(key)) return memo.get(key);
  const prefix = place === 'value' ? 'k: ' : '- ';
  const text = stringify(place === 'value' ? { k: v } : [v], OPTIONS);
  const line = text.startsWith(prefix) && text.indexOf('\n') === text.length - 1 ? text.slice(prefix.length, -1) : undefined;
  if (key !== undefined) memo.set(key, line);
  return line;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Appends the lines of `value` as the library writes it at `indent` spaces (a map's or list's
 * lines after its `key:`); false as soon as anything in it is not simple (`out` is then partial).
 */
function direct(value: Record<string, unknown> | unknown[], indent: number, out: string[], memo: Map<string, string | undefined>): boolean {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isMap(item)) {
        const entries = Object.entries(item).filter(([, v]) => v !== undefined);
        if (entries.length === 0) return false;
        // The first key shares the dash's line; the others line up under it.
        const lines: string[] = [];
        if (!mapLines(entries, indent + 2, lines, memo)) return false;
        lines[0] = `${pad}- ${lines[0]!.slice(indent + 2)}`;
        out.push(...lines);
      } else {
        const s = scalar(item, 'item', memo);
        if (s === undefined) return false;
        out.push(`${pad}- ${s}`);
      }
    }
    return true;
  }
  return mapLines(Object.entries(value).filter(([, v]) => v !== undefined), indent, out, memo);
}

function mapLines(entries: [string, unknown][], indent: number, out: string[], memo: Map<string, string | undefined>): boolean {
  const pad = ' '.repeat(indent);
  for (const [key, v] of entries) {
    if (!simpleWord(key)) return false;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${pad}${key}: []`);
      else {
        out.push(`${pad}${key}:`);
        // Lists under a key are indented one step (the library's indentSeq).
        if (!direct(v, indent + 2, out, memo)) return false;
      }
    } else if (isMap(v)) {
      if (Object.keys(v).length === 0) out.push(`${pad}${key}: {}`);
      else if (Object.values(v).every((x) => x === undefined)) return false;
      else {
        out.push(`${pad}${key}:`);
        if (!direct(v, indent + 2, out, memo)) return false;
      }
    } else {
      const s = scalar(v, 'value', memo);
      if (s === undefined) return false;
      out.push(`${pad}${key}: ${s}`);
    }
  }
  return true;
}

/** `text` (the library's lines) moved right by `indent` spaces; empty lines stay empty. */
const indented = (text: string, indent: number): string => {
  const pad = ' '.repeat(indent);
  return text.replace(/^(?=.)/gm, pad);
};

/**
 * The document the library's `stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })`
 * writes for a map of plain data. Top-level lists are written item by item, so one awkward item
 * (multi-line SQL, say) sends only itself to the library.
 */
export function blockYaml(doc: Record<string, unknown>): string {
  let text = '';
  const memo = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    const lines: string[] = [];
    if (simpleWord(key) && Array.isArray(value) && value.length > 0) {
      text += `${key}:\n`;
      for (const item of value) {
        lines.length = 0;
        text += isMap(item) && direct([item], 2, lines, memo) ? `${lines.join('\n')}\n` : indented(stringify([item], OPTIONS), 2);
      }
    } else text += direct({ [key]: value }, 0, lines, memo) ? `${lines.join('\n')}\n` : stringify({ [key]: value }, OPTIONS);
  }
  return text;
}
