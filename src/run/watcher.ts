// When to look at a running BACKUP or RESTORE job again. Pure: the caller says what it knows (how
// long the job has run, its Doris state and Progress, the throughput earlier jobs of this run
// reached) and gets the wait until the next poll.
//
// A job is cheap to watch where nothing can happen and watched closely where something can:
//  - right after it starts (a bad property, a missing table, a full disk cancel it early): polls
//    at 5, 15, 30 and 60 s;
//  - around its expected end (bytes over measured throughput, or its Progress column): the wait
//    halves towards that end, down to NEAR_MS, so a job is seen finished within about NEAR_MS;
//  - past the expected end the waits grow again slowly (an estimate that was too low must not
//    cost a poll every NEAR_MS for hours);
//  - with no estimate at all, the wait grows with the job's age up to UNKNOWN_MAX_MS (75 s).
// No wait exceeds the caller's bound (`--poll-interval`, MAX_GAP_MS by default). A 1-hour job with
// an estimate costs about 22 polls; one with no estimate about 57.
import { FINISHING_STATES, MOVING_STATES } from '../doris/job-states.js';

/** Ages (ms since start) of the early polls that catch a job cancelled at once. */
const EARLY_MS = [5_000, 15_000, 30_000, 60_000];
/** The shortest wait near the expected end: how late a finished job may be noticed. */
export const NEAR_MS = 5_000;
/** The longest wait while an estimate is missing. */
const UNKNOWN_MAX_MS = 75_000;
/** The default bound on any wait (what `--poll-interval` sets). */
export const MAX_GAP_MS = 300_000;
/** Below this share of files moved, Progress says too little to extrapolate from. */
const MIN_FRACTION = 0.05;


export interface JobView {
  /** Now and the job's start (when it was submitted, or first seen if adopted), epoch ms. */
  nowMs: number;
  startedMs: number;
  /** The plan's bytes for the job. */
  bytes: number;
  /** Bytes per ms this run's earlier jobs moved at, if any finished yet, and their fixed part (ms) around it. */
  throughput?: number | undefined;
  fixedMs?: number | undefined;
  /** Doris state and the share of files moved (Progress), when shown. */
  state: string;
  fraction?: number | undefined;
  /**
   * The last time the job was seen not yet moving its files (before its transfer, or queued
   * behind other jobs' transfers on the backends' shared workers with Progress at 0), epoch ms:
   * its files started moving after this.
   */
  movingSinceMs?: number | undefined;
  /** The first poll that showed files moved (Progress above 0): when, and the share then. */
  firstMoved?: { atMs: number; fraction: number } | undefined;
}

/** What the watcher remembers of a job's Progress between polls. */
export interface ProgressMemory {
  movingSinceMs?: number;
  firstMoved?: { atMs: number; fraction: number };
}

/**
 * Notes one poll's state and Progress. Until Progress shows files moved the job may still be
 * queued for the backends' workers (shared by the cluster's jobs), so "moving since" is the last
 * poll before that, not the first that showed UPLOADING or DOWNLOADING.
 */
export function noteProgress(m: ProgressMemory, nowMs: number, state: string, fraction: number | undefined): void {
  if (MOVING_STATES.has(state) && fraction !== undefined && fraction > 0) m.firstMoved ??= { atMs: nowMs, fraction };
  else if (!m.firstMoved) m.movingSinceMs = nowMs;
}

/** The job's expected end (epoch ms), or undefined when nothing allows a guess. */
export function expectedEnd(v: JobView): number | undefined {
  if (FINISHING_STATES.has(v.state)) return v.nowMs;
  // Progress beats the throughput of other jobs: it is this job, now. Two polls that both saw
  // files moved give its rate whatever it waited before; with one, the rate since it was last
  // seen idle (an end no earlier than the real one: the files may have started later).
  if (MOVING_STATES.has(v.state) && v.fraction !== undefined && v.fraction >= MIN_FRACTION) {
    const first = v.firstMoved;
    if (first && v.fraction > first.fraction && v.nowMs > first.atMs) return v.nowMs + ((1 - v.fraction) * (v.nowMs - first.atMs)) / (v.fraction - first.fraction);
    if (v.movingSinceMs !== undefined) return v.movingSinceMs + (v.nowMs - v.movingSinceMs) / v.fraction;
  }
  if (v.throughput && v.throughput > 0) return v.startedMs + (v.fixedMs ?? 0) + v.bytes / v.throughput;
  return undefined;
}

/** How long to wait before the next poll of a job (ms), at most `boundMs`. */
export function nextPollDelay(v: JobView, boundMs: number = MAX_GAP_MS): number {
  const age = Math.max(0, v.nowMs - v.startedMs);
  const early = EARLY_MS.find((at) => at > age);
  let wait: number;
  const end = expectedEnd(v);
  if (early !== undefined) wait = early - age;
  else if (end === undefined) wait = clamp(age / 4, NEAR_MS, UNKNOWN_MAX_MS);
  else if (v.nowMs < end) wait = clamp((end - v.nowMs) / 2, NEAR_MS, MAX_GAP_MS);
  else wait = clamp(NEAR_MS + (v.nowMs - end) / 8, NEAR_MS, MAX_GAP_MS);
  return Math.max(1, Math.min(wait, boundMs));
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** A finished job's duration and, when Doris's times show it, the part its files took to move. */
export interface JobTimes {
  totalMs: number;
  transferMs?: number | undefined;
}

/** `yyyy-MM-dd HH:mm:ss` (Doris's job times, all in the session's one zone) as ms on a common scale. */
const timeMs = (t: string | undefined): number | undefined => {
  const m = t === undefined ? null : /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(t);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
};

/**
 * A finished job's times from its own row (CreateTime, SnapshotFinishedTime, Upload- or
 * DownloadFinishedTime, FinishedTime): unlike the time between our submission and our noticing
 * the end, they hold none of our polling's lateness. Undefined when the row lacks them.
 */
export function jobTimes(job: { createTime?: string | undefined; snapshotFinishedTime?: string | undefined; transferFinishedTime?: string | undefined; finishedTime?: string | undefined }): JobTimes | undefined {
  const created = timeMs(job.createTime);
  const finished = timeMs(job.finishedTime);
  if (created === undefined || finished === undefined || finished <= created) return undefined;
  const from = timeMs(job.snapshotFinishedTime);
  const to = timeMs(job.transferFinishedTime);
  const transferMs = from !== undefined && to !== undefined && to > from && to <= finished && from >= created ? to - from : undefined;
  return { totalMs: finished - created, transferMs };
}

/**
 * What this run's finished jobs tell of the next, per cluster: the rate their files moved at
 * (bytes per ms) and the fixed part of a job around its transfer (snapshots, metadata, commit),
 * from the last few. Without transfer times a job counts whole (no fixed part). A cluster with
 * none yet borrows the other's.
 */
export class Throughput {
  private readonly seen = { source: [] as Array<{ bytes: number } & JobTimes>, target: [] as Array<{ bytes: number } & JobTimes> };

  record(cluster: 'source' | 'target', bytes: number, times: JobTimes): void {
    if (times.totalMs <= 0 || bytes <= 0) return;
    const list = this.seen[cluster];
    list.push({ bytes, ...times });
    if (list.length > 4) list.shift();
  }

  /** Bytes per ms, and the fixed ms per job, for the cluster's next job; undefined before any finished. */
  of(cluster: 'source' | 'target'): { bytesPerMs: number; fixedMs: number } | undefined {
    const own = this.seen[cluster];
    const list = own.length ? own : this.seen[cluster === 'source' ? 'target' : 'source'];
    if (!list.length) return undefined;
    const bytes = list.reduce((n, j) => n + j.bytes, 0);
    if (list.every((j) => j.transferMs !== undefined && j.transferMs > 0)) {
      const transfer = list.reduce((n, j) => n + j.transferMs!, 0);
      const fixed = list.reduce((n, j) => n + j.totalMs - j.transferMs!, 0) / list.length;
      return { bytesPerMs: bytes / transfer, fixedMs: fixed };
    }
    return { bytesPerMs: bytes / list.reduce((n, j) => n + j.totalMs, 0), fixedMs: 0 };
  }
}
