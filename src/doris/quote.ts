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
