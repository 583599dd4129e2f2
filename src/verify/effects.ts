// What a follow-up's effect looks like on the target, read back so a follow-up can skip work that
// is already done (a rerun after a crash) and prove its own effect afterwards.
import { parseCreateTable } from '../catalog/parse-create-table.js';
import type { DorisClient } from '../doris/client.js';
import { requireText, text } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';

/** The table's PROPERTIES as SHOW CREATE TABLE prints them. */
export async function tableProperties(client: DorisClient, database: string, table: string): Promise<Record<string, string>> {
  const [row] = await client.query(sql.showCreateTable(database, table));
  return parseCreateTable(requireText(row ?? {}, 'Create Table')).properties;
}

/** Properties in `wanted` whose value on the table differs, as `key = "actual"` (empty: all there). */
export async function missingProperties(client: DorisClient, database: string, table: string, wanted: Record<string, string>): Promise<string[]> {
  const actual = await tableProperties(client, database, table);
  return Object.entries(wanted).filter(([k, v]) => actual[k] !== v).map(([k]) => `${k} = "${actual[k] ?? '(not set)'}"`);
}

/** Whether the database has an async materialized view of that name. */
export async function materializedViewExists(client: DorisClient, database: string, name: string): Promise<boolean> {
  return (await client.query(sql.mvInfos(database))).some((r) => text(r, 'Name') === name);
}
