// Each partition's PartitionId and VisibleVersion, which information_schema does not carry before
// the newest line (doris-facts.md Part A §1 query budget): one SHOW PARTITIONS per table, a few in
// flight at once. Catch-up reads them to find what changed; apply reads them just before a BACKUP
// is sent, where the snapshot's own record cannot be read from here.
import { CLIENT_POOL_SIZE, type DorisClient } from '../doris/client.js';
import { sql } from '../doris/sql.js';
import { eachLimited } from '../each-limited.js';
import type { Partition } from './model.js';
import { partitionFromShow } from './reader.js';

/** SHOW PARTITIONS statements in flight at once: one per pooled connection. */
const IN_FLIGHT = CLIENT_POOL_SIZE;

export interface TableName {
  database: string;
  name: string;
}

/** `db\0table` -> its partitions with ids and versions, in SHOW PARTITIONS order. */
export async function readPartitionVersions(client: DorisClient, tables: TableName[]): Promise<Map<string, Partition[]>> {
  const out = new Map<string, Partition[]>();
  await eachLimited(tables, IN_FLIGHT, async (t) => {
    out.set(`${t.database}\u0000${t.name}`, (await client.query(sql.showPartitions(t.database, t.name))).map(partitionFromShow));
  });
  return out;
}
