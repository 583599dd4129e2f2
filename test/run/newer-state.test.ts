// Which state apply resumes from: the newer of the local file and the run's record in the
// repository; a record that differs only by its time (a save that changed no step rewrote it) is
// the local state, so apply does not claim to resume from the repository.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import { initialState } from '../../src/run/state-model.js';
import { newerState } from '../../src/run/state-mirror.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, targetFacts } from '../support/catalog-builder.js';

const plan = buildPlan({
  name: 'newer', now: '2026-12-04T08:00:00.000Z',
  source: { catalog: aCatalog('3.0.3').withDb('shop', { tables: 2 }).build(), ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
  target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
  repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/newer', { s3Endpoint: 'http://minio:9000' }) },
  options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 1 << 30, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
  selection: {},
});
const at = (updatedAt: string) => ({ ...initialState(plan, '2026-12-04T09:00:00.000Z'), updatedAt });

describe('newerState', () => {
  it('takes the record when it is newer and says so', () => {
    const local = at('2026-12-04T09:00:00.000Z');
    const remote = at('2026-12-04T09:05:00.000Z');
    remote.steps[plan.steps[0]!.id]!.status = 'done';
    expect(newerState(local, remote)).toEqual({ state: remote, from: 'repository' });
  });

  it('keeps the local state when the record differs only by its time', () => {
    const local = at('2026-12-04T09:00:00.000Z');
    expect(newerState(local, at('2026-12-04T09:05:00.000Z'))).toEqual({ state: local, from: 'local' });
  });

  it('takes the record when there is no local state, and the local one when it is newer', () => {
    const remote = at('2026-12-04T09:05:00.000Z');
    expect(newerState(undefined, remote).from).toBe('repository');
    const local = at('2026-12-04T09:10:00.000Z');
    local.steps[plan.steps[0]!.id]!.status = 'done';
    expect(newerState(local, remote)).toEqual({ state: local, from: 'local' });
    expect(newerState(undefined, undefined).from).toBe('none');
  });
});
