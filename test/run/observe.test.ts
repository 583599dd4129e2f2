// What watching a backup costs the FE: SHOW BACKUP per poll, and SHOW SNAPSHOT (which lists the
// whole repository) only when the answer depends on it: job finished, or no job at all.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DorisClient } from '../../src/doris/client.js';
import { decideBackup } from '../../src/run/reconcile.js';
import { observeBackup } from '../../src/run/observe.js';
import { startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { clientFor } from '../support/client.js';
import { s3Properties } from '../support/jobs.js';
import { DEMO_SQL, testSimulator, type TestSim } from '../support/simulator.js';
import { stepTo } from '../sandbox/jobs/steps.js';
import type mysql from 'mysql2/promise';

let s3: S3Server;
let sim: TestSim;
let admin: mysql.Connection;
let client: DorisClient;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  sim = await testSimulator({ version: '2.1', seedSql: DEMO_SQL });
  admin = await sim.connect();
  await admin.query(`CREATE REPOSITORY mig WITH S3 ON LOCATION "s3://doris-migrate/obs" ${s3Properties(s3)}`);
  client = clientFor(sim);
});
afterAll(async () => {
  await client.close();
  await admin.end();
  await sim.dispose();
  await s3.stop();
});

/** Statements the FE received during `fn`, by kind. */
async function received<T>(fn: () => Promise<T>): Promise<{ out: T; counts: Record<string, number> }> {
  sim.engine.received.clear();
  const out = await fn();
  return { out, counts: Object.fromEntries(sim.engine.received) };
}

const state = { status: 'running' as const, attempt: 1, history: [] };

it('asks SHOW BACKUP only while the job runs, and SHOW SNAPSHOT too once it finished or when there is no job', async () => {
  const none = await received(() => observeBackup(client, 'mig', 'sales', 'obs_1'));
  expect(none.counts).toEqual({ 'SHOW BACKUP': 1, 'SHOW SNAPSHOT': 1 });
  expect(decideBackup({ ...state, status: 'submitting' }, none.out, 3)).toEqual({ kind: 'submit' });

  await admin.query('ADMIN SIM PAUSE CLOCK');
  await admin.query('BACKUP SNAPSHOT sales.obs_1 TO mig ON (customers) PROPERTIES ("timeout" = "3600")');
  const sql = 'SHOW BACKUP FROM sales WHERE SnapshotName = "obs_1"';
  await stepTo(admin, sql, 'UPLOADING');
  const watching = await received(() => observeBackup(client, 'mig', 'sales', 'obs_1'));
  expect(watching.counts).toEqual({ 'SHOW BACKUP': 1 });
  expect(watching.out.snapshot).toBeUndefined();
  expect(decideBackup(state, watching.out, 3)).toMatchObject({ kind: 'watch', job: { state: 'UPLOADING' } });

  await stepTo(admin, sql, 'FINISHED');
  const finished = await received(() => observeBackup(client, 'mig', 'sales', 'obs_1'));
  expect(finished.counts).toEqual({ 'SHOW BACKUP': 1, 'SHOW SNAPSHOT': 1 });
  expect(decideBackup(state, finished.out, 3)).toMatchObject({ kind: 'finished', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/) });
});
