// Every crash point of a BACKUP or RESTORE step, as a table: what the state says, what the
// cluster shows, and what the runner must do. Only a job that never reached Doris is sent again.
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/doris/parse-results.js';
import { decideBackup, decideRestore } from '../../src/run/reconcile.js';
import type { StepState } from '../../src/run/state-model.js';

const job = (state: string, status = '[OK]'): JobRow => ({ jobId: '1', label: 'L_a1', database: 'db', state, status, progress: '' });
const step = (status: StepState['status'], attempt = 1, priorJobs?: number): StepState => ({ status, attempt, label: 'L_a1', history: [], ...(priorJobs !== undefined ? { priorJobs } : {}) });

describe('backup', () => {
  it.each([
    ['intent written, statement never sent', step('submitting'), { jobs: [], snapshot: { exists: false } }, { kind: 'submit' }],
    ['statement sent, crashed before recording it', step('submitting'), { jobs: [job('PENDING')], snapshot: { exists: false } }, { kind: 'watch' }],
    ['running, job still uploading', step('running'), { jobs: [job('UPLOADING')], snapshot: { exists: true } }, { kind: 'watch' }],
    ['finished before the crash was recorded', step('running'), { jobs: [job('FINISHED')], snapshot: { exists: true, timestamp: 'T' } }, { kind: 'finished', timestamp: 'T' }],
    ['finished and scrolled out of the 10-job history', step('running'), { jobs: [], snapshot: { exists: true, timestamp: 'T' } }, { kind: 'finished', timestamp: 'T' }],
    ['cancelled by Doris', step('running'), { jobs: [job('CANCELLED', '[COMMON_ERROR, msg: user cancelled]')] }, { kind: 'retry', reason: 'user cancelled' }],
    ['cancelled on the last attempt', step('running', 3), { jobs: [job('CANCELLED', '[TIMEOUT, msg: ]')] }, { kind: 'fail' }],
    ['upload died, label burned, job gone', step('running'), { jobs: [], snapshot: { exists: true } }, { kind: 'retry' }],
    ['accepted, then vanished without a snapshot', step('running'), { jobs: [], snapshot: { exists: false } }, { kind: 'retry' }],
  ])('%s', (_name, state, obs, expected) => {
    expect(decideBackup(state, obs, 3)).toMatchObject(expected);
  });
});

describe('restore', () => {
  it.each([
    ['intent written (1 earlier job with this label), never sent', step('submitting', 1, 1), { jobs: [job('FINISHED')] }, { kind: 'submit' }],
    ['sent, crashed before recording it', step('submitting', 1, 1), { jobs: [job('FINISHED'), job('PENDING')] }, { kind: 'watch' }],
    ['finished', step('running', 1, 0), { jobs: [job('FINISHED')] }, { kind: 'finished' }],
    ['cancelled: schema clash', step('running', 1, 0), { jobs: [job('CANCELLED', '[COMMON_ERROR, msg: Table t already exist but with different schema]')] }, { kind: 'retry', reason: 'Table t already exist but with different schema' }],
    ['accepted, then gone from the history: never guessed', step('running', 1, 0), { jobs: [] }, { kind: 'fail' }],
  ])('%s', (_name, state, obs, expected) => {
    expect(decideRestore(state, obs, 3)).toMatchObject(expected);
  });
});
