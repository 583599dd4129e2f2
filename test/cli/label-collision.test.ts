// Two migrations with the same labels (the same --label-prefix, planned before either ran) and
// different repositories: the second never takes the first's job for its own. Its apply is refused
// at once, naming the jobs (a step that meets such a job mid-run fails naming it: reconcile tests),
// and its cancel leaves the first migration's job running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, spawnCli } from '../support/cli.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales', timeScale: 100, planFlags: ['--label-prefix', 'shared'] });
});
afterAll(() => m.dispose());

const backups = () => m.sandbox.source.jobs.history().filter((h) => h.statement === 'BACKUP' && h.outcome === 'submitted');

describe('a label shared by two migrations', () => {
  it('fails the second one with a named error, and its cancel leaves the first one alone', async () => {
    const planned = await m.run([
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/second', '--s3-endpoint', m.sandbox.s3.endpoint, '--repository-name', 'second_repo', '--replication-num', '1',
      '--name', 'second', '--databases', 'sales', '--label-prefix', 'shared', '--no-interactive',
    ]);
    expect(planned.code, planned.err).toBe(0);
    // The first migration's backup is submitted and stays running (the source's clock stands still).
    await m.sandbox.source.execute('ADMIN SIM PAUSE CLOCK');
    const first = spawnCli(['apply', 'plans/mig.yaml', '--poll-interval', '0.05', '--yes'], { cwd: m.dir, env: m.env });
    let firstOut = '';
    first.stdout.on('data', (d: Buffer) => (firstOut += d.toString()));
    for (const until = Date.now() + 30_000; backups().length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
    expect(backups()).toHaveLength(1);

    const second = await m.run(['apply', 'plans/second.yaml', '--yes', '--poll-interval', '0.02']);
    expect(second.code).toBe(4);
    expect(second.err).toMatch(/the clusters already ran jobs with its labels \(SHOW BACKUP FROM sales on the source: shared_sales_\w+_b1_a1 \(JobId -?\d+, \w+\)\): this plan ran before and its state is gone, or another migration uses its labels/);
    expect(backups(), 'the second migration sent no backup').toHaveLength(1);

    const cancelled = await m.run(['cancel', 'plans/second.yaml']);
    expect(cancelled.err).toContain('second has not been applied: nothing to cancel');
    const job = (await m.sandbox.source.engine.execute('SHOW BACKUP FROM sales', { id: 0, user: m.sandbox.source.engine.world.users.root!, db: undefined, vars: {} })) as { kind: string; rows?: unknown[][] };
    expect(job.rows?.at(-1)?.[3]).not.toBe('CANCELLED');

    await m.sandbox.source.execute('ADMIN SIM RESUME CLOCK');
    expect(await exitOf(first), firstOut).toBe(0);
  }, 120_000);
});
