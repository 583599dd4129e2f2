// What a follow-up's effect looks like on the target, read back so a follow-up can skip work that
// is already done (a rerun after a crash) and prove its own effect afterwards.
import { parseCreateTable } from '../catalog/parse-create-table.js';
import type { DorisClient } from '../doris/client.js';
import { requireText, text } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import { samePropertyValue } from '../doris/replica-allocation.js';

/** The table's PROPERTIES as SHOW CREATE TABLE prints them. */
export async function tableProperties(client: DorisClient, database: string, table: string): Promise<Record<string, string>> {
  const [row] = await client.query(sql.showCreateTable(database, table));
  return parseCreateTable(requireText(row ?? {}, 'Create Table')).properties;
}

/** Properties in `wanted` whose value on the table differs, as `key = "actual"` (empty: all there). */
export async function missingProperties(client: DorisClient, database: string, table: string, wanted: Record<string, string>): Promise<string[]> {
  const actual = await tableProperties(client, database, table);
  return Object.entries(wanted).filter(([k, v]) => !samePropertyValue(k, v, actual[k])).map(([k]) => `${k} = "${actual[k] ?? '(not set)'}"`);
}

/** The database's async materialized view of that name as mv_infos lists it, or undefined. */
export async function materializedView(client: DorisClient, database: string, name: string): Promise<{ refreshState: string } | undefined> {
  const row = (await client.query(sql.mvInfos(database))).find((r) => text(r, 'Name') === name);
  return row ? { refreshState: text(row, 'RefreshState') ?? '' } : undefined;
}

/** A refresh that succeeded or is under way needs no other (mv_infos RefreshState). */
export const refreshedOrRefreshing = (state: string): boolean => state === 'SUCCESS' || state === 'REFRESHING';
