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
  /** Out of attempts, or a state we must not guess about; `conflict`: the label is on a job not ours. */
  | { kind: 'fail'; reason: string; conflict?: true };

const cancelled = (job: JobRow): string => statusMessage(job.status) || 'cancelled';

function afterCancel(state: StepState, maxAttempts: number, reason: string): Action {
  return state.attempt < maxAttempts ? { kind: 'retry', reason } : { kind: 'fail', reason: `${reason} (gave up after ${state.attempt} attempts)` };
}

/**
 * Our backup job among those carrying the label. A job is ours only if it was not there when our
 * intent was recorded (`priorJobKeys`): a label another migration used (the same prefix, another
 * repository; SHOW BACKUP shows no repository) is never adopted. Older state files have no keys:
 * the last job with the label, as before.
 */
export function ownBackupJob(state: StepState, jobs: JobRow[]): JobRow | undefined {
  if (!state.priorJobKeys) return jobs.at(-1);
  const prior = new Set(state.priorJobKeys);
  return jobs.filter((j) => !isPriorJob(prior, j)).at(-1);
}

/**
 * Whether `job` is one of the jobs noted at the intent. A job noted while still PENDING had no
 * JobId yet (`-1@<CreateTime>`); it keeps its CreateTime once it gets one.
 */
export const isPriorJob = (prior: Set<string>, job: JobRow): boolean => prior.has(restoreJobKey(job)) || prior.has(`-1@${job.createTime ?? ''}`);

/** Jobs that carried our label before we sent anything: another migration's (or a run whose state was lost). */
export function foreignJobs(state: StepState, jobs: JobRow[]): JobRow[] {
  const prior = new Set(state.priorJobKeys ?? []);
  return jobs.filter((j) => isPriorJob(prior, j));
}

export function decideBackup(state: StepState, obs: Observation, maxAttempts: number): Action {
  const job = ownBackupJob(state, obs.jobs);
  if (job) {
    if (job.state === 'FINISHED') return { kind: 'finished', job, ...(obs.snapshot?.timestamp ? { timestamp: obs.snapshot.timestamp } : {}) };
    if (job.state === 'CANCELLED') return afterCancel(state, maxAttempts, cancelled(job));
    return { kind: 'watch', job };
  }
  // Our label on a job that was there before our intent: never ours, and Doris would refuse ours
  // (or accept it into another repository's history): stop and say whose it may be.
  const foreign = foreignJobs(state, obs.jobs).at(-1);
  if (foreign) return { kind: 'fail', reason: labelTaken(foreign), conflict: true };
  // Doris keeps only the last 10 jobs per database: a finished backup may have scrolled out,
  // but its complete snapshot stays in the repository.
  if (obs.snapshot?.timestamp) return { kind: 'finished', timestamp: obs.snapshot.timestamp };
  // Files without an info file and no job: an upload that died; the label is burned.
  if (obs.snapshot?.exists) return afterCancel(state, maxAttempts, 'the snapshot exists without its info file (an interrupted upload)');
  if (state.status === 'running') return afterCancel(state, maxAttempts, 'the backup job disappeared from SHOW BACKUP without a snapshot');
  return { kind: 'submit' };
}

/** Why a job carrying our label is not ours. */
export const labelTaken = (job: JobRow): string =>
  `another job already carries the label ${job.label} (JobId ${job.jobId}, ${job.state}, created ${job.createTime ?? 'at an unknown time'}): another migration uses this plan's labels, or this migration ran before with a state that is gone; plan again (the default label prefix is unique to each plan), or restore the state file`;

/**
 * Our restore job among those carrying the label: restores have no label uniqueness, so the label
 * matches earlier attempts (and earlier migrations) too. Ours restores our snapshot (its Timestamp
 * is our backup timestamp) and, with the keys of the jobs that existed when the intent was
 * recorded, is the first job that is not one of them, wherever the 10-job history has scrolled
 * to. Older state files only have a count: the job after that many.
 */
export function ownRestoreJob(state: StepState, jobs: JobRow[]): JobRow | undefined {
  const ofOurSnapshot = jobs.filter((j) => !state.backupTimestamp || !j.timestamp || j.timestamp === state.backupTimestamp);
  if (state.priorJobKeys) {
    const prior = new Set(state.priorJobKeys);
    return ofOurSnapshot.find((j) => !isPriorJob(prior, j));
  }
  const count = state.priorJobs ?? 0;
  return jobs.length > count ? jobs[count] : undefined;
}

/**
 * A restore of our snapshot that finished before our intent: this migration's restore already
 * ran (a run whose state was lost, or a state from before it finished). It must never be sent
 * again onto the tables it filled.
 */
export function restoredBefore(state: StepState, jobs: JobRow[]): JobRow | undefined {
  if (!state.backupTimestamp) return undefined;
  return foreignJobs(state, jobs).find((j) => j.state === 'FINISHED' && j.timestamp === state.backupTimestamp);
}

export function decideRestore(state: StepState, obs: Observation, maxAttempts: number): Action {
  const job = ownRestoreJob(state, obs.jobs);
  if (job) {
    if (job.state === 'FINISHED') return { kind: 'finished', job };
    if (job.state === 'CANCELLED') return afterCancel(state, maxAttempts, cancelled(job));
    return { kind: 'watch', job };
  }
  const before = restoredBefore(state, obs.jobs);
  if (before) return { kind: 'finished', job: before };
  if (state.status === 'running') {
    // Accepted by Doris, now gone from its 10-job history: do not guess whether it finished.
    return { kind: 'fail', reason: 'the restore job is no longer in SHOW RESTORE (Doris keeps the last 10 jobs per database): check the tables on the target, then run apply again' };
  }
  return { kind: 'submit' };
}
