// `status` and `list` on a machine without the local state file (a fresh checkout, another
// machine): they read the run's record in the repository, as apply resumes from it, and say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { demoMigration, forgetLocalState, localStatePath, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'analytics' });
});
afterAll(() => m.dispose());

interface StatusJson { started: boolean; stateFrom: string; stateUnread?: string; done: number; failed: number; steps: { id: string; status: string }[] }

describe('status and list without the local state', () => {
  it('show the steps a partial apply did, from the repository, and name where they read it', async () => {
    // A partial run: the backups go through, the restores fail on a target without backends.
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    expect((await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'])).code).toBe(1);
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 3');
    const local = fileCheckpoint(localStatePath(m)).load()!;
    const doneLocally = Object.entries(local.steps).filter(([, s]) => s.status === 'done').map(([id]) => id).sort();
    expect(doneLocally.length).toBeGreaterThan(0);
    const before = JSON.parse((await m.run(['status', 'plans/mig.yaml', '--json'])).out) as StatusJson;
    expect(before.stateFrom).toBe('local');

    forgetLocalState(m);
    const status = await m.run(['status', 'plans/mig.yaml', '--json']);
    expect(status.code, status.err).toBe(0);
    const json = JSON.parse(status.out) as StatusJson;
    expect(json).toMatchObject({ started: true, stateFrom: 'repository', done: before.done, failed: before.failed });
    expect(json.steps.filter((s) => s.status === 'done').map((s) => s.id).sort()).toEqual(doneLocally);
    const text = await m.run(['status', 'plans/mig.yaml']);
    expect(text.out.split('\n')[0]).toBe(`mig: last update ${local.updatedAt} (from the run's record in s3://doris-migrate/apply (no local state file))`);

    const listed = await m.run(['list', '--json']);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ name: 'mig', state: 'failed', stateFrom: 'repository', done: before.done })]);
    expect((await m.run(['list'])).out).toMatch(/^mig .* {2}failed \(repository record\) {2}/m);

    // The repository unreachable from here (no credentials): "not started", and why.
    const { AWS_SECRET_ACCESS_KEY: _s, ...noKey } = m.env;
    const blind = JSON.parse((await runWith(noKey, ['status', 'plans/mig.yaml', '--json'])).out) as StatusJson;
    expect(blind).toMatchObject({ started: false, stateFrom: 'none', done: 0 });
    expect(blind.stateUnread).toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('say "not started" when neither the local file nor a record exists', async () => {
    const r = await m.run(['plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`, '--repository', 's3://doris-migrate/fresh', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--repository-name', 'repo_fresh', '--databases', 'ops', '--name', 'fresh', '--no-interactive']);
    expect(r.code, r.err).toBe(0);
    const text = await m.run(['status', 'plans/fresh.yaml']);
    expect(text.out.split('\n')[0]).toBe('fresh: not started (no local state file, no record in s3://doris-migrate/fresh)');
    expect(JSON.parse((await m.run(['status', 'plans/fresh.yaml', '--json'])).out)).toMatchObject({ started: false, stateFrom: 'none' });
  });
});

async function runWith(env: Record<string, string>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../src/cli/main.js');
  const { captureIO } = await import('../support/io.js');
  const io = captureIO({ cwd: m.dir, env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
