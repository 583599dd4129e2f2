// What to do about a BACKUP or RESTORE step, given what the cluster shows. Used on resume (for
// every step that was in flight) and while watching. Pure, so every crash point is a table test.
import type { JobRow } from '../doris/parse-results.js';
import { statusMessage } from '../doris/parse-results.js';
import { restoreJobKey, type StepState } from './state-model.js';

export interface Observation {
  /** Jobs carrying our label, oldest first (SHOW BACKUP / SHOW RESTORE ... WHERE label). */
  jobs: JobRow[];
  /** Backups only: what SHOW SNAPSHOT says about our label. */
  snapshot?: { exists: boolean; timestamp?: string };
}

export type Action =
  /** No job of ours exists: send the statement (again only if it never reached Doris). */
  | { kind: 'submit' }
  /** A job of ours is running: keep watching it. */
  | { kind: 'watch'; job: JobRow }
  /** Done; backups carry the snapshot timestamp when known. */
  | { kind: 'finished'; job?: JobRow; timestamp?: string }
  /** The attempt ended badly: try again under a new attempt label. */
  | { kind: 'retry'; reason: string }
  /** Out of attempts, or a state we must not guess about. */
  | { kind: 'fail'; reason: string };

const cancelled = (job: JobRow): string => statusMessage(job.status) || 'cancelled';

function afterCancel(state: StepState, maxAttempts: number, reason: string): Action {
  return state.attempt < maxAttempts ? { kind: 'retry', reason } : { kind: 'fail', reason: `${reason} (gave up after ${state.attempt} attempts)` };
}

export function decideBackup(state: StepState, obs: Observation, maxAttempts: number): Action {
  const job = obs.jobs.at(-1);
  if (job) {
    if (job.state === 'FINISHED') return { kind: 'finished', job, ...(obs.snapshot?.timestamp ? { timestamp: obs.snapshot.timestamp } : {}) };
    if (job.state === 'CANCELLED') return afterCancel(state, maxAttempts, cancelled(job));
    return { kind: 'watch', job };
  }
  // Doris keeps only the last 10 jobs per database: a finished backup may have scrolled out,
  // but its complete snapshot stays in the repository.
  if (obs.snapshot?.timestamp) return { kind: 'finished', timestamp: obs.snapshot.timestamp };
  // Files without an info file and no job: an upload that died; the label is burned.
  if (obs.snapshot?.exists) return afterCancel(state, maxAttempts, 'the snapshot exists without its info file (an interrupted upload)');
  if (state.status === 'running') return afterCancel(state, maxAttempts, 'the backup job disappeared from SHOW BACKUP without a snapshot');
  return { kind: 'submit' };
}

/**
 * Our restore job among those carrying the label: restores have no label uniqueness, so the label
 * matches earlier attempts (and earlier migrations) too. With the keys of the jobs that existed
 * when the intent was recorded, ours is the first job that is not one of them, wherever the
 * 10-job history has scrolled to. Older state files only have a count: the job after that many.
 */
export function ownRestoreJob(state: StepState, jobs: JobRow[]): JobRow | undefined {
  if (state.priorJobKeys) {
    const prior = new Set(state.priorJobKeys);
    return jobs.find((j) => !prior.has(restoreJobKey(j)));
  }
  const count = state.priorJobs ?? 0;
  return jobs.length > count ? jobs[count] : undefined;
}

export function decideRestore(state: StepState, obs: Observation, maxAttempts: number): Action {
  const job = ownRestoreJob(state, obs.jobs);
  if (job) {
    if (job.state === 'FINISHED') return { kind: 'finished', job };
    if (job.state === 'CANCELLED') return afterCancel(state, maxAttempts, cancelled(job));
    return { kind: 'watch', job };
  }
  if (state.status === 'running') {
    // Accepted by Doris, now gone from its 10-job history: do not guess whether it finished.
    return { kind: 'fail', reason: 'the restore job is no longer in SHOW RESTORE (Doris keeps the last 10 jobs per database): check the tables on the target, then run apply again' };
  }
  return { kind: 'submit' };
}
