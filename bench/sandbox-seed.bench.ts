// Seeding a large catalog into the simulator, two ways: SQL statements (what tests and the sandbox
// use) at 10,000 tables, and the bench-only bulk path at 100,000; then one information_schema
// query over all of it. Figures are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startSimulator, type Simulator } from '../src/sandbox/index.js';
import { bulkSeed, tableSql } from './support/bulk-seed.js';

/** A seed script of `dbs` databases × `tables` tables, each range-partitioned into `partitions`. */
export function largeCatalogSql(dbs: number, tables: number, partitions: number): string {
  const parts: string[] = [];
  for (let d = 0; d < dbs; d++) {
    parts.push(`CREATE DATABASE db_${d};`);
    for (let t = 0; t < tables; t++) parts.push(tableSql(d, t, partitions));
  }
  return parts.join('\n');
}

async function withSimulator<T>(fn: (sim: Simulator) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-bench-seed-'));
  const sim = await startSimulator({ version: '3.0', dataDir });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const seconds = (t0: number): number => Number(((performance.now() - t0) / 1000).toFixed(2));

export async function run(): Promise<Record<string, string | number>> {
  const sqlSeed = await withSimulator(async (sim) => {
    const sql = largeCatalogSql(20, 500, 10);
    const t0 = performance.now();
    await sim.execute(sql);
    return seconds(t0);
  });
  const bulk = await withSimulator(async (sim) => {
    const t0 = performance.now();
    await bulkSeed(sim, { databases: 200, tablesPerDatabase: 500, partitionsPerTable: 10 });
    const seedSeconds = seconds(t0);
    const c = await mysql.createConnection({ host: sim.host, port: sim.port, user: 'root', password: '' });
    try {
      const t1 = performance.now();
      const [rows] = await c.query("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables WHERE TABLE_SCHEMA NOT IN ('information_schema', 'mysql', '__internal_schema')");
      const querySeconds = seconds(t1);
      const t2 = performance.now();
      const [one] = await c.query("SELECT TABLE_NAME FROM information_schema.partitions WHERE TABLE_SCHEMA = 'db_7'");
      return { seedSeconds, rows: (rows as unknown[]).length, querySeconds, oneDbRows: (one as unknown[]).length, oneDbSeconds: seconds(t2) };
    } finally {
      await c.end();
    }
  });
  return {
    'SQL seed, 20 x 500 x 10 (s)': sqlSeed,
    'SQL seed: tables per second': Math.round(10_000 / sqlSeed),
    'bulk seed (bench-only), 200 x 500 x 10 (s)': bulk.seedSeconds,
    'bulk seed: tables per second': Math.round(100_000 / bulk.seedSeconds),
    'information_schema.tables, all 100,000 (s)': bulk.querySeconds,
    'information_schema.tables rows': bulk.rows,
    'information_schema.partitions, one db of 200 (s)': bulk.oneDbSeconds,
    'information_schema.partitions rows, one db': bulk.oneDbRows,
    'peak RSS of this process (MiB)': Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
