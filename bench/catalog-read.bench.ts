// Reading a large catalog: wall time, peak memory and SQL round trips, on a line with the
// information_schema tables (3.0) and on one without (2.0). Figures are printed, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCatalog } from '../src/catalog/reader.js';
import { connect } from '../src/doris/connection.js';
import { startSimulator } from '../src/sandbox/index.js';
import { largeCatalogSql } from './sandbox-seed.bench.js';

async function measure(version: string, dbs: number, tables: number, partitions: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-bench-read-'));
  const sim = await startSimulator({ version, dataDir });
  try {
    await sim.execute(largeCatalogSql(dbs, tables, partitions));
    const client = connect({ host: sim.host, port: sim.port, user: 'root', password: '', queryTimeoutMs: 600_000 });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const catalog = await readCatalog(client);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    await client.close();
    const found = catalog.databases.reduce((s, d) => s + d.tables.length, 0);
    return { seconds, queries: client.roundTrips, tables: found, peakMiB: Math.round(peak / 2 ** 20) };
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, string | number>> {
  // Simulator and reader share this process, so peak RSS covers both (an upper bound for the reader).
  const big = await measure('3.0', 200, 500, 10);
  const small = await measure('3.0', 200, 50, 10);
  const old = await measure('2.0', 20, 50, 10);
  return {
    '3.0: 200 dbs x 500 tables: read (s)': Number(big.seconds.toFixed(2)),
    '3.0: 200 x 500: tables found': big.tables,
    '3.0: 200 x 500: SQL round trips': big.queries,
    '3.0: 200 x 50: SQL round trips': small.queries,
    '3.0: round trips 500 vs 50 tables/db (ratio)': Number((big.queries / small.queries).toFixed(2)),
    '3.0: peak RSS incl. simulator (MiB)': big.peakMiB,
    '2.0: 20 x 50 (no info-schema tables): round trips': old.queries,
    '2.0: 20 x 50: read (s)': Number(old.seconds.toFixed(2)),
  };
}
