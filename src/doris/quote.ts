// The one place identifiers and string literals are turned into SQL text. Pure.
import { usageError } from '../errors.js';

/** A Doris identifier in backticks, embedded backticks doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw usageError('bad-identifier', 'an empty name cannot be used as a Doris identifier');
  if (name.includes('\0')) throw usageError('bad-identifier', `the name ${JSON.stringify(name)} contains a NUL character, which Doris does not allow`);
  return `\`${name.replace(/`/g, '``')}\``;
}

/** `db`.`name` */
export const quoteQualified = (...parts: string[]): string => parts.map(quoteIdent).join('.');

/** A double-quoted string literal with backslash escapes, as Doris parses them. */
export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0')}"`;
}

/** `("k" = "v", ...)` in the given order. */
export const propertiesClause = (props: Record<string, string>): string =>
  `(${Object.entries(props).map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`).join(', ')})`;

/**
 * Text shown on one line: line breaks and other control characters (terminal escapes included)
 * written as visible escapes. Names come from the source cluster and may hold anything.
 */
export const oneLine = (text: string): string =>
  text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** One `-- ` comment line of a SQL script: a name holding a newline cannot start an executable line. */
export const sqlComment = (text: string): string => `-- ${oneLine(text)}`;
