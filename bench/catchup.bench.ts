// Catch-up: the makespan workload (bench/makespan.bench.ts) migrated, then 1 % of its partitions
// written to on the source. The catch-up (partition-level backups, in-place restores) is planned by
// the real `catch-up` command and run by applyPlan; its simulated makespan is compared with
// re-migrating the changed tables whole (the real `plan --tables ... --on-conflict atomic-replace`,
// run the same way), which is what the cutover runbook did before catch-up existed. Its goal is in
// bench/targets.ts. The makespan workload's tables have one or eight partitions, which bounds
// what any partition-level copy can save there; a second workload, one 10 TiB table of daily
// partitions, is the case the issue starts from.
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { readPlanFile } from '../src/cli/plan-file.js';
import { connect } from '../src/doris/connection.js';
import type { Plan } from '../src/plan/schema.js';
import { captureIO } from '../test/support/io.js';
import { skewedSeedSql } from './makespan.bench.js';
import { benchMigration, type BenchMigration } from './support/migration.js';

const hours = (ms: number): number => Number((ms / 3_600_000).toFixed(3));

/** Simulated ms from the start of apply to the last BACKUP/RESTORE step finished. */
async function makespan(m: BenchMigration, plan: Plan): Promise<number> {
  const start = m.simNow();
  const { result, events } = await m.apply({ plan });
  if (result !== 'done') throw new Error(`apply of ${plan.name} ended ${result}: ${events.filter((x) => x.e.kind === 'step-failed').map((x) => JSON.stringify(x.e)).join('; ')}`);
  const jobs = new Set(plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').map((s) => s.id));
  return Math.max(...events.filter((x) => x.e.kind === 'step-finished' && jobs.has(x.e.step)).map((x) => x.at)) - start;
}

async function cli(m: BenchMigration, argv: string[]): Promise<string> {
  const env = { AWS_ACCESS_KEY_ID: m.sandbox.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: m.sandbox.s3.secretAccessKey, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' };
  const io = captureIO({ cwd: m.dir, env });
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`${argv.slice(0, 2).join(' ')} failed (${code}): ${io.err()}`);
  return io.out();
}

interface Measured {
  partitions: number;
  changed: number;
  tables: number;
  migration: number;
  catchUp: number;
  whole: number;
  summary: NonNullable<Plan['catchUp']>['summary'];
}

/** Migrates `seedSql`, writes one row into each partition `pick` chooses, then times the catch-up and the whole-table re-migration. */
async function measure(seedSql: string, timeScale: number, pick: (all: { db: string; table: string; index: number; first: number }[]) => { db: string; table: string; first: number }[]): Promise<Measured> {
  const m = await benchMigration({ seedSql, timeScale, concurrency: 2, batchSize: '512GiB' });
  try {
    const migration = await makespan(m, m.plan);
    const partitions = Object.values(m.sandbox.source.engine.world.databases).flatMap((db) =>
      Object.values(db.tables).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((t) => t.partitions.map((_, i) => ({ db: db.name, table: t.name, index: i, first: i * 1000 }))),
    );
    const changed = pick(partitions);
    const source = connect({ host: '127.0.0.1', port: m.sandbox.source.port, user: 'root', password: '' });
    try {
      for (const p of changed) await source.query(`INSERT INTO ${p.db}.${p.table} VALUES (${p.first + 1}, 'late')`);
    } finally {
      await source.close();
    }
    const out = await cli(m, ['catch-up', 'plans/bench.yaml', '--no-interactive']);
    const catchUpPlan = readPlanFile(join(m.dir, out.trim().split('\n').at(-1)!.replace(/^plan: /, '')));
    const catchUp = await makespan(m, catchUpPlan);
    const tables = [...new Set(changed.map((p) => `${p.db}.${p.table}`))];
    await cli(m, [
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/bench', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--name', 'whole',
      '--concurrency', '2', '--batch-size', '512GiB', '--tables', tables.join(','), '--on-conflict', 'atomic-replace', '--no-interactive',
    ]);
    const whole = await makespan(m, readPlanFile(join(m.dir, 'plans', 'whole.yaml')));
    return { partitions: partitions.length, changed: changed.length, tables: tables.length, migration, catchUp, whole, summary: catchUpPlan.catchUp!.summary };
  } finally {
    await m.dispose();
  }
}

const TiB = 1024 ** 4;

/** The motivating case of issue #16: one 10 TiB table of 365 daily partitions, the newest 1 % of them loaded into. */
function dailySeedSql(): string {
  const ranges = Array.from({ length: 365 }, (_, i) => `PARTITION d${String(i).padStart(3, '0')} VALUES LESS THAN ("${(i + 1) * 1000}")`).join(', ');
  return `CREATE DATABASE daily;\nCREATE TABLE daily.events (id INT NOT NULL, v VARCHAR(32)) DUPLICATE KEY(id) PARTITION BY RANGE(id) (${ranges}) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${10 * TiB}");`;
}

export async function run(): Promise<Record<string, string | number>> {
  const databases = Number(process.env.BENCH_CATCHUP_DATABASES ?? 30);
  // 1 % of the partitions, spread evenly over the source in name order.
  const r = await measure(skewedSeedSql(databases), Number(process.env.BENCH_CATCHUP_SCALE ?? 300), (all) => all.filter((_, i) => i % 100 === 99 || (all.length < 100 && i === 0)));
  // Few statements over many simulated hours: a faster clock keeps its real time down.
  const daily = await measure(dailySeedSql(), Number(process.env.BENCH_CATCHUP_DAILY_SCALE ?? 1000), (all) => all.slice(-Math.max(1, Math.round(all.length / 100))));
  return {
    workload: `${databases} databases, ${r.partitions} partitions; ${r.changed} changed (1 %, evenly spread) in ${r.tables} tables`,
    'migration makespan (simulated h)': hours(r.migration),
    'catch-up: partitions, bytes': `${r.summary.partitions}, ${(r.summary.bytes / 1024 ** 3).toFixed(1)} GiB`,
    'catch-up makespan (simulated h)': hours(r.catchUp),
    'changed tables whole, makespan (simulated h)': hours(r.whole),
    'catch-up makespan: changed tables whole / catch-up': Number((r.whole / r.catchUp).toFixed(1)),
    'daily workload': `one 10 TiB table of ${daily.partitions} daily partitions; the newest ${daily.changed} (1 %) loaded into`,
    'daily: catch-up makespan (simulated h)': hours(daily.catchUp),
    'daily: whole table again, makespan (simulated h)': hours(daily.whole),
    'daily: whole table / catch-up (makespan ratio)': Number((daily.whole / daily.catchUp).toFixed(1)),
  };
}
