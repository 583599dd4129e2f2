// What the target holds after a finished run, partition by partition, for the next catch-up:
// the plan's own baseline (a catch-up's partitions it did not copy) overlaid with what each of its
// backups captured. Pure.
import { usageError } from '../errors.js';
import { secondsBetween } from '../elapsed.js';
import type { PartitionVersions, Plan } from '../plan/schema.js';
import type { RunState } from './state-model.js';

export interface RunOutcome {
  known: PartitionVersions;
  /** When the last backup finished: changes after it are what the next catch-up copies. */
  since: string;
  /** The run's pace: bytes through backup and restore per second of wall time, and the shortest job pair. */
  pace?: { bytesPerSecond: number; jobOverheadSeconds: number };
}

export function runOutcome(plan: Plan, state: RunState, planFile: string): RunOutcome {
  const unfinished = plan.steps.filter((s) => (s.kind === 'backup' || s.kind === 'restore' || s.kind === 'drop') && state.steps[s.id]?.status !== 'done');
  if (unfinished.length) throw usageError('run-unfinished', `${planFile} is not finished (${unfinished.map((s) => s.id).slice(0, 3).join(', ')}${unfinished.length > 3 ? ', ...' : ''} not done): apply it first, then catch up`);
  const known: PartitionVersions = structuredClone(plan.catchUp?.baseline ?? {});
  let since = plan.catchUp?.since ?? plan.createdAt;
  let bytes = 0;
  let firstStart: string | undefined;
  let lastEnd: string | undefined;
  let shortest: number | undefined;
  for (const step of plan.steps) {
    if (step.kind !== 'backup') continue;
    const s = state.steps[step.id]!;
    const db = (known[step.database] ??= {});
    // No record (the job info could not be read, or an older doris-migrate ran it): whatever the
    // step copied counts as unknown, so the next catch-up copies it again rather than guess.
    const captured = s.captured ?? Object.fromEntries(step.tables.map((t) => [t.name, {}]));
    for (const [table, partitions] of Object.entries(captured)) {
      // A whole-table backup replaces what was known of the table; a partition-level one adds to it.
      const whole = step.tables.some((t) => t.name === table && !t.partitions);
      db[table] = { ...(whole ? {} : db[table]), ...partitions };
    }
    if (s.finishedAt && s.finishedAt > since) since = s.finishedAt;
    const restore = plan.steps.find((r) => r.kind === 'restore' && r.backupStep === step.id);
    const end = restore ? state.steps[restore.id]?.finishedAt : undefined;
    const pair = secondsBetween(s.startedAt, end);
    if (pair !== undefined) shortest = Math.min(shortest ?? pair, pair);
    bytes += step.bytes;
    if (s.startedAt && (!firstStart || s.startedAt < firstStart)) firstStart = s.startedAt;
    if (end && (!lastEnd || end > lastEnd)) lastEnd = end;
  }
  const wall = secondsBetween(firstStart, lastEnd);
  return { known, since, ...(wall && shortest !== undefined ? { pace: { bytesPerSecond: bytes / wall, jobOverheadSeconds: shortest } } : {}) };
}
