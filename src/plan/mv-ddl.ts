// An async MV's CREATE statement made ready for the target: database qualifiers renamed and the
// MV's own name qualified with its target database, every name written by quoteIdent. Pure.
import { quoteIdent, quoteQualified } from '../doris/quote.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites `srcdb.` qualifiers (backticked or bare, whole word) to the renamed target databases. */
export function renameDatabases(text: string, renames: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(renames)) {
    if (from === to) continue;
    // Function replacers: a `$` in a database name must not be read as a replacement pattern.
    out = out
      .replace(new RegExp(`${escapeRegExp(quoteIdent(from))}\\.`, 'g'), () => `${quoteIdent(to)}.`)
      .replace(new RegExp(`(^|[^\\w\`.])${escapeRegExp(from)}\\.`, 'g'), (_m, before: string) => `${before}${quoteIdent(to)}.`);
  }
  return out;
}

/** One identifier as written in SQL: backticked (with doubled backticks) or bare. */
const IDENT = '(?:`(?:[^`]|``)+`|[^\\s.`(]+)';
const HEAD = new RegExp(`^\\s*CREATE\\s+MATERIALIZED\\s+VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT}(?:\\.${IDENT})?)`, 'i');

const unquote = (part: string): string => (part.startsWith('`') ? part.slice(1, -1).replace(/``/g, '`') : part);

/** Splits `a`.`b` / a.b / `a` into its unquoted parts. */
function nameParts(text: string): string[] {
  return (text.match(new RegExp(IDENT, 'g')) ?? []).map(unquote);
}

/**
 * The MV's DDL for the target: `CREATE MATERIALIZED VIEW IF NOT EXISTS <targetdb>.<name> ...`, with
 * database qualifiers renamed. A DDL whose head cannot be read keeps its head as written (only
 * the qualifiers are renamed), and the reviewer sees it as such in the runbook.
 */
export function targetMvStatement(createSql: string, targetDatabase: string, renames: Record<string, string>): string {
  const head = HEAD.exec(createSql);
  if (!head) return renameDatabases(createSql, renames);
  const parts = nameParts(head[1]!);
  const name = parts[parts.length - 1]!;
  const rest = renameDatabases(createSql.slice(head[0].length), renames);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${quoteQualified(targetDatabase, name)}${rest}`;
}
