// Catch-up: the makespan workload (bench/makespan.bench.ts) migrated, then 1 % of its partitions
// written to on the source. The catch-up (partition-level backups, in-place restores) is planned by
// the real `catch-up` command and run by applyPlan; its simulated makespan is compared with
// re-migrating the changed tables whole (the real `plan --tables ... --on-conflict atomic-replace`,
// run the same way), which is what the cutover runbook did before catch-up existed. Its goal is in
// bench/targets.ts.
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

export async function run(): Promise<Record<string, string | number>> {
  const databases = Number(process.env.BENCH_CATCHUP_DATABASES ?? 30);
  const m = await benchMigration({ seedSql: skewedSeedSql(databases), timeScale: Number(process.env.BENCH_CATCHUP_SCALE ?? 300), concurrency: 2, batchSize: '512GiB' });
  try {
    const migration = await makespan(m, m.plan);
    // 1 % of the partitions, spread evenly over the source in name order, each gets one row.
    const partitions = Object.values(m.sandbox.source.engine.world.databases).flatMap((db) =>
      Object.values(db.tables).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((t) => t.partitions.map((p, i) => ({ db: db.name, table: t.name, first: i * 1000 }))),
    );
    const changed = partitions.filter((_, i) => i % 100 === 99 || (partitions.length < 100 && i === 0));
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
    const s = catchUpPlan.catchUp!.summary;
    return {
      workload: `${databases} databases, ${partitions.length} partitions; ${changed.length} changed (1 %) in ${tables.length} tables`,
      'migration makespan (simulated h)': hours(migration),
      'catch-up: partitions, bytes': `${s.partitions}, ${(s.bytes / 1024 ** 3).toFixed(1)} GiB`,
      'catch-up makespan (simulated h)': hours(catchUp),
      'changed tables whole, makespan (simulated h)': hours(whole),
      'catch-up makespan: changed tables whole / catch-up': Number((whole / catchUp).toFixed(1)),
    };
  } finally {
    await m.dispose();
  }
}
