// Every crash point of a BACKUP or RESTORE step, as a table: what the state says, what the
// cluster shows, and what the runner must do. Only a job that never reached Doris is sent again.
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/doris/parse-results.js';
import { decideBackup, decideRestore } from '../../src/run/reconcile.js';
import { mayBeLive, restartStatus, type StepState } from '../../src/run/state-model.js';

const job = (state: string, status = '[OK]'): JobRow => ({ jobId: '1', label: 'L_a1', database: 'db', state, status, progress: '' });
const restoreJob = (jobId: string, state: string, createTime = '2026-01-01 09:00:00', status = '[OK]'): JobRow => ({ ...job(state, status), jobId, createTime });
/** A restore intent that noted the keys of the jobs already carrying its label. */
const keyed = (status: StepState['status'], priorJobKeys: string[]): StepState => ({ status, attempt: 1, label: 'L_a1', history: [], priorJobs: priorJobKeys.length, priorJobKeys });
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
    // Doris keeps 10 jobs per database: the earlier job with this label scrolled out when ours
    // arrived. A count would see 1 job, 1 prior, and send ours again; the keys find ours.
    ['sent while the earlier job scrolled out, crashed before recording it', keyed('submitting', ['7']), { jobs: [restoreJob('9', 'PENDING')] }, { kind: 'watch', job: { jobId: '9' } }],
    ['intent written, earlier jobs still listed, never sent', keyed('submitting', ['7', '-1@2026-01-01 10:00:00']), { jobs: [restoreJob('7', 'CANCELLED'), restoreJob('-1', 'CANCELLED', '2026-01-01 10:00:00')] }, { kind: 'submit' }],
    ['cancelled before leaving PENDING, so no job id yet', keyed('running', ['-1@2026-01-01 10:00:00']), { jobs: [restoreJob('-1', 'CANCELLED', '2026-01-01 10:00:00'), restoreJob('-1', 'CANCELLED', '2026-01-01 10:05:00', '[COMMON_ERROR, msg: Table t already exist but with different schema]')] }, { kind: 'retry', reason: 'Table t already exist but with different schema' }],
  ])('%s', (_name, state, obs, expected) => {
    expect(decideRestore(state, obs, 3)).toMatchObject(expected);
  });
});

describe('ownership: a job is ours only if it was not there before our intent, and restores our snapshot', () => {
  const backupJob = (jobId: string, state: string): JobRow => ({ ...job(state), jobId, createTime: '2026-01-01 09:00:00' });
  const ofSnapshot = (jobId: string, state: string, timestamp: string): JobRow => ({ ...restoreJob(jobId, state), timestamp });
  const restoring = (status: StepState['status'], prior: string[]): StepState => ({ ...keyed(status, prior), backupTimestamp: '2026-01-01-10-00-00' });

  it('never adopts a backup job that carried our label before our intent (another migration, same labels)', () => {
    const action = decideBackup(keyed('submitting', ['5']), { jobs: [backupJob('5', 'UPLOADING')], snapshot: { exists: false } }, 3);
    expect(action).toMatchObject({ kind: 'fail' });
    expect((action as { reason: string }).reason).toMatch(/^another job already carries the label L_a1 \(JobId 5, UPLOADING, created 2026-01-01 09:00:00\): another migration uses this plan's labels/);
    // ... even once it finished (its snapshot went to the other migration's repository).
    expect(decideBackup(keyed('running', ['5']), { jobs: [backupJob('5', 'FINISHED')], snapshot: { exists: false } }, 3)).toMatchObject({ kind: 'fail' });
  });

  it('knows a job noted while PENDING (no JobId yet) once it has one', () => {
    expect(decideBackup(keyed('submitting', ['-1@2026-01-01 09:00:00']), { jobs: [backupJob('12', 'UPLOADING')] }, 3)).toMatchObject({ kind: 'fail' });
  });

  it('watches our backup job, not the earlier one with the same label', () => {
    expect(decideBackup(keyed('running', ['5']), { jobs: [backupJob('5', 'FINISHED'), backupJob('6', 'UPLOADING')] }, 3)).toMatchObject({ kind: 'watch', job: { jobId: '6' } });
  });

  it('does not take a restore of another snapshot with our label for ours', () => {
    expect(decideRestore(restoring('running', []), { jobs: [ofSnapshot('8', 'FINISHED', '2025-12-31-08-00-00')] }, 3)).toMatchObject({ kind: 'fail' });
    expect(decideRestore(restoring('submitting', []), { jobs: [ofSnapshot('8', 'FINISHED', '2025-12-31-08-00-00')] }, 3)).toEqual({ kind: 'submit' });
  });

  it('never sends again a restore of our snapshot that finished before the intent (the state was lost)', () => {
    expect(decideRestore(restoring('submitting', ['7']), { jobs: [ofSnapshot('7', 'FINISHED', '2026-01-01-10-00-00')] }, 3)).toMatchObject({ kind: 'finished', job: { jobId: '7' } });
    // A cancelled one of ours is no such proof: a new attempt is sent.
    expect(decideRestore(restoring('submitting', ['7']), { jobs: [ofSnapshot('7', 'CANCELLED', '2026-01-01-10-00-00')] }, 3)).toEqual({ kind: 'submit' });
  });
});

describe('a failed step in a new run', () => {
  it.each([
    ['Doris ended its job (cancelled, out of attempts): a new attempt', undefined, 'pending'],
    ['lost sight of it while submitting: reconcile that attempt first', 'submitting', 'submitting'],
    ['lost sight of it while watching: reconcile that attempt first', 'running', 'running'],
  ] as const)('%s', (_name, inFlight, expected) => {
    const s: StepState = { ...step('failed'), ...(inFlight ? { inFlight } : {}) };
    expect(restartStatus(s)).toBe(expected);
    // `cancel` must treat the in-doubt ones as possibly running on Doris.
    expect(mayBeLive(s)).toBe(inFlight !== undefined);
  });
});
