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

/** Ages (ms since start) of the early polls that catch a job cancelled at once. */
const EARLY_MS = [5_000, 15_000, 30_000, 60_000];
/** The shortest wait near the expected end: how late a finished job may be noticed. */
export const NEAR_MS = 10_000;
/** The longest wait while an estimate is missing. */
const UNKNOWN_MAX_MS = 75_000;
/** The default bound on any wait (what `--poll-interval` sets). */
export const MAX_GAP_MS = 300_000;
/** Below this share of files moved, Progress says too little to extrapolate from. */
const MIN_FRACTION = 0.05;

/** Doris states in which a job moves files (Progress counts them). */
const MOVING = new Set(['UPLOADING', 'DOWNLOADING']);
/** States after the files moved: the job is finishing (metadata, commit). */
const FINISHING = new Set(['SAVE_META', 'UPLOAD_INFO', 'COMMIT', 'COMMITTING']);

export interface JobView {
  /** Now and the job's start (when it was submitted, or first seen if adopted), epoch ms. */
  nowMs: number;
  startedMs: number;
  /** The plan's bytes for the job. */
  bytes: number;
  /** Bytes per ms this run's earlier jobs reached, if any finished yet. */
  throughput?: number | undefined;
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
  if (MOVING.has(state) && fraction !== undefined && fraction > 0) m.firstMoved ??= { atMs: nowMs, fraction };
  else if (!m.firstMoved) m.movingSinceMs = nowMs;
}

/** The job's expected end (epoch ms), or undefined when nothing allows a guess. */
export function expectedEnd(v: JobView): number | undefined {
  if (FINISHING.has(v.state)) return v.nowMs;
  // Progress beats the throughput of other jobs: it is this job, now. Two polls that both saw
  // files moved give its rate whatever it waited before; with one, the rate since it was last
  // seen idle (an end no earlier than the real one: the files may have started later).
  if (MOVING.has(v.state) && v.fraction !== undefined && v.fraction >= MIN_FRACTION) {
    const first = v.firstMoved;
    if (first && v.fraction > first.fraction && v.nowMs > first.atMs) return v.nowMs + ((1 - v.fraction) * (v.nowMs - first.atMs)) / (v.fraction - first.fraction);
    if (v.movingSinceMs !== undefined) return v.movingSinceMs + (v.nowMs - v.movingSinceMs) / v.fraction;
  }
  if (v.throughput && v.throughput > 0) return v.startedMs + v.bytes / v.throughput;
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

/**
 * Throughput of the jobs this run saw from submission to finish, per cluster (bytes per ms):
 * the bytes of the last few over their durations. A cluster with none yet borrows the other's.
 */
export class Throughput {
  private readonly seen = { source: [] as Array<{ bytes: number; ms: number }>, target: [] as Array<{ bytes: number; ms: number }> };

  record(cluster: 'source' | 'target', bytes: number, ms: number): void {
    if (ms <= 0 || bytes <= 0) return;
    const list = this.seen[cluster];
    list.push({ bytes, ms });
    if (list.length > 4) list.shift();
  }

  of(cluster: 'source' | 'target'): number | undefined {
    const own = this.seen[cluster];
    const list = own.length ? own : this.seen[cluster === 'source' ? 'target' : 'source'];
    if (!list.length) return undefined;
    return list.reduce((n, j) => n + j.bytes, 0) / list.reduce((n, j) => n + j.ms, 0);
  }
}
