// The watcher's schedule, without a server: polls per job-hour, how soon a finished job is seen,
// early polls, the bound, and the throughput it learns.
import { describe, expect, it } from 'vitest';
import { expectedEnd, jobTimes, MAX_GAP_MS, NEAR_MS, nextPollDelay, noteProgress, Throughput, type JobView, type ProgressMemory } from '../../src/run/watcher.js';

const HOUR = 3_600_000;
const GiB = 1024 ** 3;

/**
 * Polls of one job from its start until it is seen finished: the count, and how long after its
 * real end the finishing poll came. `view` says what a poll at `t` (ms since start) shows.
 */
function watch(durationMs: number, view: (t: number) => Omit<JobView, 'nowMs' | 'startedMs' | 'bytes'> & { bytes?: number }, bound?: number) {
  const bytes = 512 * GiB;
  let t = 0;
  let polls = 0;
  for (;;) {
    polls++;
    if (t >= durationMs) return { polls, lateMs: t - durationMs };
    t += nextPollDelay({ nowMs: t, startedMs: 0, bytes, ...view(t) }, bound);
    if (polls > 100_000) throw new Error('never ends');
  }
}

describe('nextPollDelay', () => {
  it('polls at 5, 15, 30 and 60 s first, to catch a job cancelled at once', () => {
    const seen: number[] = [];
    let t = 0;
    while (t <= 60_000) {
      t += nextPollDelay({ nowMs: t, startedMs: 0, bytes: GiB, state: 'PENDING' });
      seen.push(t);
    }
    expect(seen.slice(0, 4)).toEqual([5_000, 15_000, 30_000, 60_000]);
  });

  it.each([0.5, 1, 2, 6])('with a right estimate, a %s-hour job costs well under 60 polls an hour and is seen finished within ~10 s', (hours) => {
    const duration = hours * HOUR;
    const bytes = 512 * GiB;
    const r = watch(duration, () => ({ state: 'UPLOADING', throughput: bytes / duration }));
    expect(r.polls / Math.max(hours, 1)).toBeLessThanOrEqual(40);
    expect(r.lateMs).toBeLessThanOrEqual(NEAR_MS);
  });

  it('with an estimate 30 % too low or too high, still under 60 polls an hour', () => {
    const duration = 2 * HOUR;
    const bytes = 512 * GiB;
    for (const off of [0.7, 1.3]) {
      const r = watch(duration, () => ({ state: 'UPLOADING', throughput: bytes / (duration * off) }));
      expect(r.polls / 2).toBeLessThanOrEqual(60);
    }
  });

  it('learns the end from Progress when no earlier job measured the throughput', () => {
    const duration = HOUR;
    // Files move from 6 min on; Progress shows the share moved.
    const moving = 0.1 * duration;
    const r = watch(duration, (t) => (t < moving ? { state: 'SNAPSHOTING' } : { state: 'UPLOADING', movingSinceMs: moving, fraction: Math.floor(((t - moving) / (duration - moving)) * 100) / 100 }));
    expect(r.polls).toBeLessThanOrEqual(60);
    expect(r.lateMs).toBeLessThanOrEqual(2 * NEAR_MS);
  });

  it('learns the end from Progress when the job first waited an hour for the backends\' shared workers (Progress at 0 while UPLOADING)', () => {
    // Queued behind other jobs' transfers for an hour, then its files move for an hour; no
    // earlier job measured the throughput. What the watcher remembers comes from the polls.
    const queued = HOUR;
    const duration = 2 * HOUR;
    const memory: ProgressMemory = {};
    const r = watch(duration, (t) => {
      const state = t < 60_000 ? 'SNAPSHOTING' : 'UPLOADING';
      const fraction = state === 'UPLOADING' ? Math.floor((Math.max(0, t - queued) / (duration - queued)) * 100) / 100 : undefined;
      noteProgress(memory, t, state, fraction);
      return { state, fraction, ...memory };
    });
    expect(r.polls / 2).toBeLessThanOrEqual(60);
    expect(r.lateMs).toBeLessThanOrEqual(NEAR_MS);
  });

  it('with nothing to go on, waits at most 75 s and stays within 60 polls an hour', () => {
    const r = watch(3 * HOUR, () => ({ state: 'UPLOADING' }));
    expect(r.polls / 3).toBeLessThanOrEqual(60);
    expect(r.lateMs).toBeLessThanOrEqual(75_000);
  });

  it('never waits longer than the bound (--poll-interval), nor than the default bound', () => {
    const view = { nowMs: HOUR, startedMs: 0, bytes: 512 * GiB, state: 'UPLOADING', throughput: (512 * GiB) / (10 * HOUR) };
    expect(nextPollDelay(view)).toBe(MAX_GAP_MS);
    expect(nextPollDelay(view, 20)).toBe(20);
    expect(nextPollDelay({ ...view, nowMs: 0 }, 2_000)).toBe(2_000);
  });

  it('expects the end soon once the files have moved', () => {
    const view = { nowMs: HOUR, startedMs: 0, bytes: GiB, state: 'SAVE_META' };
    expect(expectedEnd(view)).toBe(HOUR);
    expect(nextPollDelay(view)).toBe(NEAR_MS);
  });
});

describe('Throughput', () => {
  it("measures a cluster's last jobs, and lends it to the other cluster until that one has its own", () => {
    const t = new Throughput();
    expect(t.of('source')).toBeUndefined();
    t.record('source', 1_000, { totalMs: 10 });
    t.record('source', 3_000, { totalMs: 10 });
    expect(t.of('source')).toEqual({ bytesPerMs: 200, fixedMs: 0 });
    expect(t.of('target')).toEqual({ bytesPerMs: 200, fixedMs: 0 });
    t.record('target', 500, { totalMs: 10 });
    expect(t.of('target')?.bytesPerMs).toBe(50);
  });

  it('expects a job twice the size of the last one at its fixed part plus twice the transfer, not twice the whole', () => {
    // 1 TiB: 60 s of snapshots before its files move, 10,000 s moving them, 20 s after.
    const job = { createTime: '2026-12-04 10:00:00', snapshotFinishedTime: '2026-12-04 10:01:00', transferFinishedTime: '2026-12-04 12:47:40', finishedTime: '2026-12-04 12:48:00' };
    const times = jobTimes(job);
    expect(times).toEqual({ totalMs: 10_080_000, transferMs: 10_000_000 });
    const t = new Throughput();
    t.record('source', 1024 * GiB, times!);
    const next = t.of('source')!;
    const end = expectedEnd({ nowMs: 0, startedMs: 0, bytes: 2048 * GiB, state: 'SNAPSHOTING', throughput: next.bytesPerMs, fixedMs: next.fixedMs });
    expect(end).toBeCloseTo(20_080_000, -3);
    // Seen from such an estimate, the job is noticed within NEAR_MS of its end.
    const r = watch(20_080_000, () => ({ state: 'UPLOADING', bytes: 2048 * GiB, throughput: next.bytesPerMs, fixedMs: next.fixedMs }));
    expect(r.lateMs).toBeLessThanOrEqual(NEAR_MS);
  });

  it('reads no times from a row that lacks them', () => {
    expect(jobTimes({ createTime: '2026-12-04 10:00:00' })).toBeUndefined();
    expect(jobTimes({ createTime: '2026-12-04 10:00:00', finishedTime: '2026-12-04 10:10:00' })).toEqual({ totalMs: 600_000, transferMs: undefined });
  });
});
