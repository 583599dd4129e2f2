// `verify` on a large migration: wall time and SQL round trips per cluster at both levels, for a
// source and a target seeded alike (no restores needed to compare them), at 4 tables at a time
// per cluster (the default) and at 1. The simulators share this process, so concurrency here only
// overlaps round trips; a real FE does the work in parallel. Figures are printed, not asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCatalog } from '../src/catalog/reader.js';
import { connect } from '../src/doris/connection.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { startSimulator } from '../src/sandbox/index.js';
import { settingsFromLocation } from '../src/storage/location.js';
import type { VerifyLevel } from '../src/verify/model.js';
import { runVerification } from '../src/verify/run.js';
import { largeCatalogSql } from './sandbox-seed.bench.js';

const [DBS, TABLES, PARTITIONS] = [20, 50, 10];

export async function run(): Promise<Record<string, string | number>> {
  const dirs = [mkdtempSync(join(tmpdir(), 'dm-bench-verify-')), mkdtempSync(join(tmpdir(), 'dm-bench-verify-'))];
  const seed = `${largeCatalogSql(DBS, TABLES, PARTITIONS)}\n${Array.from({ length: DBS }, (_, d) => `INSERT INTO db_${d}.t_0 VALUES (1, 'a', 1), (1500, 'b', 2);`).join('\n')}`;
  const [source, target] = await Promise.all(dirs.map((dataDir) => startSimulator({ version: '3.0', dataDir })));
  const open = (port: number) => connect({ host: '127.0.0.1', port, user: 'root', password: '', queryTimeoutMs: 600_000 });
  try {
    await Promise.all([source!.execute(seed), target!.execute(seed)]);
    const reader = open(source!.port);
    const catalog = await readCatalog(reader);
    await reader.close();
    const ref = { host: '127.0.0.1', port: source!.port, user: 'root', passwordEnv: 'P', tls: false };
    // Planned against an empty target: the plan migrates every table, which the target already holds.
    const plan = buildPlan({
      name: 'bench', now: new Date().toISOString(), source: { catalog, ref }, target: { facts: { cluster: catalog.cluster, existingDatabases: [], existingTables: [] }, ref },
      repository: { name: 'bench', settings: settingsFromLocation('s3://bench/verify', { s3Endpoint: 'http://127.0.0.1:9' }) },
      options: { labelPrefix: 'b', concurrency: { source: 2, target: 2 }, batchBytes: 1024 ** 5, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
      selection: {},
    });
    const measure = async (level: VerifyLevel, concurrency: number) => {
      const [s, t] = [open(source!.port), open(target!.port)];
      const t0 = performance.now();
      const v = await runVerification(plan, level, { source: s, target: t, now: () => new Date(), concurrency });
      const seconds = (performance.now() - t0) / 1000;
      const trips = { source: s.roundTrips, target: t.roundTrips };
      await Promise.all([s.close(), t.close()]);
      return { seconds, trips, differences: v.differences.length, tables: v.tables };
    };
    await measure('quick', 4); // warm-up: connections, JIT, the simulators' caches
    const serial = await measure('quick', 1);
    const quick = await measure('quick', 4);
    const full = await measure('full', 4);
    return {
      tables: `${quick.tables} (${DBS} dbs x ${TABLES}, ${PARTITIONS} partitions each)`,
      'quick, 4 at a time (s)': Number(quick.seconds.toFixed(2)),
      'quick: round trips per cluster': `${quick.trips.source} / ${quick.trips.target}`,
      'quick, 1 at a time (s)': Number(serial.seconds.toFixed(2)),
      'full, 4 at a time (s)': Number(full.seconds.toFixed(2)),
      'full: round trips per cluster': `${full.trips.source} / ${full.trips.target}`,
      'differences found (expect 0)': quick.differences + full.differences + serial.differences,
    };
  } finally {
    await Promise.all([source?.stop(), target?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
