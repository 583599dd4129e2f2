// An async MV's CREATE statement made ready for the target: database qualifiers renamed and the
// MV's own name qualified with its target database, every name written by quoteIdent. Pure.
import { quoteIdent, quoteQualified, quoteString } from '../doris/quote.js';

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
export function targetMvStatement(createSql: string, targetDatabase: string, renames: Record<string, string>, replication?: Record<string, string>): string {
  const head = HEAD.exec(createSql);
  if (!head) return withReplication(renameDatabases(createSql, renames), replication);
  const parts = nameParts(head[1]!);
  const name = parts[parts.length - 1]!;
  const rest = withReplication(renameDatabases(createSql.slice(head[0].length), renames), replication);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${quoteQualified(targetDatabase, name)}${rest}`;
}

const REPLICATION_KEYS = new Set(['replication_num', 'replication_allocation']);

/**
 * The MV's DDL with the plan's replication instead of the source's: the MV places its replicas by
 * its own properties, so the source's count can exceed the target's backends. The PROPERTIES
 * clause before the query (`AS SELECT`) is rewritten; one is added when there is none.
 */
export function withReplication(ddl: string, replication: Record<string, string> | undefined): string {
  if (!replication) return ddl;
  const entries = Object.entries(replication).map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`);
  const as = /\bAS\s+(?:SELECT|WITH|\()/i.exec(ddl);
  const headEnd = as?.index ?? ddl.length;
  const head = ddl.slice(0, headEnd);
  const props = /\bPROPERTIES\s*\(([^)]*)\)/i.exec(head);
  if (!props) return `${head.trimEnd()}\nPROPERTIES (${entries.join(', ')})\n${ddl.slice(headEnd)}`;
  // Pairs, not a split on commas: an allocation value holds commas of its own.
  const kept = [...props[1]!.matchAll(/"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"/g)].filter((m) => !REPLICATION_KEYS.has(m[1]!)).map((m) => m[0]);
  const clause = `PROPERTIES (${[...kept, ...entries].join(', ')})`;
  return head.slice(0, props.index) + clause + head.slice(props.index + props[0].length) + ddl.slice(headEnd);
}
