// Seeding a large catalog into the simulator, and answering information_schema.tables for all of it
// in one query. Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startSimulator } from '../src/sandbox/index.js';

/** A seed script of `dbs` databases × `tables` tables, each range-partitioned into `partitions`. */
export function largeCatalogSql(dbs: number, tables: number, partitions: number): string {
  const parts: string[] = [];
  const ranges = Array.from({ length: partitions }, (_, i) => `PARTITION p${i} VALUES LESS THAN ("${(i + 1) * 1000}")`).join(', ');
  for (let d = 0; d < dbs; d++) {
    parts.push(`CREATE DATABASE db_${d};`);
    for (let t = 0; t < tables; t++) {
      const bytes = ((d * 7919 + t * 104729) % 1000) * 1_000_000;
      parts.push(
        `CREATE TABLE db_${d}.t_${t} (id INT NOT NULL, v VARCHAR(32), amount BIGINT SUM DEFAULT "0") AGGREGATE KEY(id, v) ` +
          `PARTITION BY RANGE(id) (${ranges}) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${bytes}");`,
      );
    }
  }
  return parts.join('\n');
}

export async function run(): Promise<Record<string, string | number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-bench-seed-'));
  const [dbs, tables, partitions] = [200, 500, 10];
  const sql = largeCatalogSql(dbs, tables, partitions);
  const sim = await startSimulator({ version: '3.0', dataDir });
  try {
    const t0 = performance.now();
    await sim.execute(sql);
    const seedSeconds = (performance.now() - t0) / 1000;
    const c = await mysql.createConnection({ host: sim.host, port: sim.port, user: 'root', password: '' });
    const t1 = performance.now();
    const [rows] = await c.query("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables WHERE TABLE_SCHEMA NOT IN ('information_schema', 'mysql', '__internal_schema')");
    const querySeconds = (performance.now() - t1) / 1000;
    await c.end();
    return {
      catalog: `${dbs} dbs x ${tables} tables x ${partitions} partitions`,
      'seed (s)': Number(seedSeconds.toFixed(2)),
      'tables per second': Math.round((dbs * tables) / seedSeconds),
      'information_schema.tables rows': (rows as unknown[]).length,
      'one query (s)': Number(querySeconds.toFixed(2)),
      'peak RSS (MiB)': Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
