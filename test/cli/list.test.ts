// `list` shows every plan in a directory with its clusters, steps and state: one in each state.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { lockPath, statePath } from '../../src/cli/run-context.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { acquireLock } from '../../src/run/lock.js';
import { initialState } from '../../src/run/state-model.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

describe('doris-migrate list', () => {
  it('names each plan with its clusters, steps done and state: planned, running, failed, interrupted, done, verified', async () => {
    m = await demoMigration({ databases: 'analytics' });
    const mig = m;
    // Each plan its own repository name and target database, so they never meet on the clusters.
    const plan = async (name: string) => {
      const r = await mig.run(['plan', '--repository-name', `repo_${name}`, '--rename', `analytics=analytics_${name}`, '--source', `mysql://root@127.0.0.1:${mig.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${mig.sandbox.target.port}`, '--repository', `s3://doris-migrate/${name}`, '--s3-endpoint', mig.sandbox.s3.endpoint, '--replication-num', '1', '--databases', 'analytics', '--name', name, '--no-interactive']);
      expect(r.code, r.err).toBe(0);
      return join(mig.dir, 'plans', `${name}.yaml`);
    };
    const apply = (file: string) => mig.run(['apply', file, '--poll-interval', '0.02', '--yes']);

    expect((await apply(await plan('verified'))).code).toBe(0);
    // Done but never verified: the same run without its verification.
    const doneFile = await plan('done');
    expect((await apply(doneFile)).code).toBe(0);
    const doneState = fileCheckpoint(statePath(doneFile));
    const { verification: _v, ...unverified } = doneState.load()!;
    doneState.save(unverified);
    await plan('planned');
    const interrupted = await plan('interrupted');
    const state = initialState(readPlanFile(interrupted), '2026-12-04T10:00:00.000Z');
    state.steps.preflight = { status: 'done', attempt: 1, history: [] };
    fileCheckpoint(statePath(interrupted)).save(state);
    const failedFile = await plan('failed');
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    expect((await apply(failedFile)).code).toBe(1);
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 3');
    const lock = acquireLock(lockPath(await plan('running')), new Date().toISOString());
    try {
      const r = await m.run(['list']);
      expect(r.code, r.err).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines[0]).toMatch(/^PLAN\s+SOURCE → TARGET\s+STEPS\s+STATE\s+LAST UPDATE/);
      const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
      const pair = `127.0.0.1:${m.sandbox.source.port} → 127.0.0.1:${m.sandbox.target.port}`;
      for (const name of ['planned', 'running', 'failed', 'interrupted', 'done', 'verified']) {
        expect(row(name)).toContain(pair);
        expect(row(name).split(/\s{2,}/)[3], row(name)).toBe(name);
      }
      // 7 steps: analytics' async MV reads sales.orders, which these plans leave behind, so it is left out.
      expect(row('verified')).toMatch(/ 7\/7 steps /);
      expect(row('interrupted')).toMatch(/ 1\/7 steps .* 2026-12-04 10:00$/);
      const json = JSON.parse((await m.run(['list', 'plans', '--json'])).out) as { name: string; state: string; done: number; total: number }[];
      expect(Object.fromEntries(json.map((p) => [p.name, p.state]))).toMatchObject({ planned: 'planned', running: 'running', failed: 'failed', interrupted: 'interrupted', done: 'done', verified: 'verified', mig: 'planned' });
    } finally {
      lock.release();
    }
    const empty = await m.run(['list', 'sandbox']);
    expect(empty.out).toContain('no plans in');
    const missing = await m.run(['list', 'nowhere']);
    expect(missing.code).toBe(2);
  }, 120_000);
});
