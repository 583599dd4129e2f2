// Bench-only: seeds a big catalog straight into a simulator's store, so 100,000 tables take seconds
// instead of the minutes 100,000 CREATE TABLE statements would. The first table is made by a real
// CREATE TABLE through the engine; every other table is a copy of it with its own name, ids and
// size, exactly as that statement would have made it. Tests and the sandbox never use this.
import type { Simulator } from '../../src/sandbox/index.js';
import { allocId, type SimTable } from '../../src/sandbox/store.js';

export interface CatalogShape {
  databases: number;
  tablesPerDatabase: number;
  partitionsPerTable: number;
  /** Every n-th table also gets a temporary partition `tp0` (BACKUP refuses it; plan must find it). */
  tempPartitionEvery?: number;
}

/** The CREATE TABLE of table `t` in database `d` (also what largeCatalogSql writes). */
export function tableSql(d: number, t: number, partitions: number): string {
  const ranges = Array.from({ length: partitions }, (_, i) => `PARTITION p${i} VALUES LESS THAN ("${(i + 1) * 1000}")`).join(', ');
  return (
    `CREATE TABLE db_${d}.t_${t} (id INT NOT NULL, v VARCHAR(32), amount BIGINT SUM DEFAULT "0") AGGREGATE KEY(id, v) ` +
    `PARTITION BY RANGE(id) (${ranges}) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${tableBytes(d, t)}");`
  );
}

/** Bytes per replica of table `t` in database `d`: spread from 0 to 999 MB, deterministic. */
export const tableBytes = (d: number, t: number): number => ((d * 7919 + t * 104729) % 1000) * 1_000_000;

/** Seeds `db_0..` with `t_0..` as tableSql describes, then writes the world once. */
export async function bulkSeed(sim: Simulator, shape: CatalogShape): Promise<void> {
  const { engine } = sim;
  const dbNames = Array.from({ length: shape.databases }, (_, d) => `db_${d}`);
  await sim.execute(dbNames.map((n) => `CREATE DATABASE ${n};`).join('\n') + '\n' + tableSql(0, 0, shape.partitionsPerTable));
  const template = engine.world.databases.db_0!.tables.t_0!;
  const json = JSON.stringify(template);
  for (let d = 0; d < shape.databases; d++) {
    const db = engine.world.databases[dbNames[d]!]!;
    for (let t = 0; t < shape.tablesPerDatabase; t++) {
      if (d === 0 && t === 0) continue;
      const table = JSON.parse(json) as SimTable;
      table.id = allocId(engine.world);
      table.name = `t_${t}`;
      const perPartition = Math.floor(tableBytes(d, t) / table.partitions.length);
      for (const p of table.partitions) {
        p.id = allocId(engine.world);
        p.tabletIdBase = allocId(engine.world, p.buckets);
        p.syntheticBytes = perPartition;
      }
      if (shape.tempPartitionEvery && (d * shape.tablesPerDatabase + t) % shape.tempPartitionEvery === 0) {
        // As ALTER TABLE ... ADD TEMPORARY PARTITION tp0 would add it: a copy of the last partition's shape.
        const temp = { ...structuredClone(table.partitions.at(-1)!), name: 'tp0', id: allocId(engine.world) };
        temp.tabletIdBase = allocId(engine.world, temp.buckets);
        table.tempPartitions.push(temp);
      }
      db.tables[table.name] = table;
    }
  }
  engine.changed();
  engine.persistence?.flush();
}
