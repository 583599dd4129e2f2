// Labels belong to one migration: the default prefix carries the plan's id, and `plan` refuses a
// prefix whose labels the clusters' job history already holds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { runPlan } from '../../src/cli/commands/plan.js';
import { captureIO } from '../support/io.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales', planFlags: ['--label-prefix', 'shared'] });
});
afterAll(() => m.dispose());

const planAt = async (name: string, repository: string, now: Date, extra: { labelPrefix?: string; onConflict?: string; repositoryName?: string } = {}) => {
  const io = captureIO({ cwd: m.dir, env: m.env });
  // runPlan throws what main renders as one line with its exit code.
  const code = await runPlan(
    {
      source: `mysql://root@127.0.0.1:${m.sandbox.source.port}`, target: `mysql://root@127.0.0.1:${m.sandbox.target.port}`, repository, s3Endpoint: m.sandbox.s3.endpoint,
      replicationNum: '1', databases: 'sales', name, interactive: false, yes: true, ...extra,
    },
    io,
    { now: () => now },
  ).catch((e: { exitCode: number; message: string }) => (io.stderr.write(e.message), e.exitCode));
  return { code, out: io.out(), err: io.err() };
};

describe('labels unique per migration', () => {
  it('gives two plans of the same database made in the same minute different labels', async () => {
    const now = new Date('2026-12-04T10:15:30.000Z');
    expect((await planAt('first', 's3://doris-migrate/first', now)).code).toBe(0);
    expect((await planAt('second', 's3://doris-migrate/second', new Date(now.getTime() + 20_000))).code).toBe(0);
    const [a, b] = ['first', 'second'].map((n) => readPlanFile(join(m.dir, 'plans', `${n}.yaml`)));
    expect(a!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(a!.options.labelPrefix).toBe(`dm2612041015_${a!.id}`);
    expect(b!.options.labelPrefix).not.toBe(a!.options.labelPrefix);
    const labels = (p: typeof a) => p!.steps.flatMap((s) => (s.kind === 'backup' ? [s.label] : []));
    expect(labels(a).filter((l) => labels(b).includes(l))).toEqual([]);
    // The id is part of the plan's content, so its fingerprint covers it.
    // (Read as YAML: an id such as 0e240691 looks like a number, so YAML quotes it.)
    expect((parse(readFileSync(join(m.dir, 'plans', 'first.yaml'), 'utf8')) as { id: unknown }).id).toBe(a!.id);
  });

  it('refuses (exit 4) a label prefix whose labels the job history already holds', async () => {
    const applied = await m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
    expect(applied.code, applied.err).toBe(0);
    const again = await planAt('other', 's3://doris-migrate/other', new Date(), { labelPrefix: 'shared', onConflict: 'alias', repositoryName: 'other_repo' });
    expect(again.code).toBe(4);
    expect(again.err).toMatch(/the clusters already ran jobs with this plan's labels \(SHOW BACKUP FROM sales on the source: shared_sales_\w+_b1_a1 \(JobId \d+, FINISHED\)/);
    expect(again.err).toContain('choose another --label-prefix');
  });

  it('refuses to replace a plan that was applied, and with --force archives its state beside it', async () => {
    const argv = [
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/apply', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--name', 'mig',
      '--databases', 'sales', '--on-conflict', 'alias', '--no-interactive',
    ];
    const before = readFileSync(m.planFile, 'utf8');
    const refused = await m.run(argv);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/mig\.yaml belongs to a migration that was applied \(its state is .*mig\.state\.json\): choose another --name, or pass --force/);
    expect(readFileSync(m.planFile, 'utf8')).toBe(before);
    const forced = await m.run([...argv, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.err).toMatch(/archived the earlier state as .*mig\.state\.archived-\w+\.json/);
    expect(existsSync(join(m.dir, 'plans', 'mig.state.json'))).toBe(false);
    expect(readdirSync(join(m.dir, 'plans')).filter((f) => f.startsWith('mig.state.archived-'))).not.toHaveLength(0);
  });
});
