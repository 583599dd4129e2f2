// The best any schedule could do with given job durations, and what a person running the runbook
// by hand (one database at a time: backup, wait, restore, wait) would take. Pure.
import type { Plan, Step } from '../../src/plan/schema.js';

type JobStep = Extract<Step, { kind: 'backup' | 'restore' }>;
const isJob = (s: Step): s is JobStep => s.kind === 'backup' || s.kind === 'restore';

/**
 * A lower bound on the makespan of `plan` when job step `id` lasts `duration(id)` and every other
 * step is instant. Each term holds for any schedule the scheduler's rules allow (dependencies, one
 * job per database per cluster, `concurrency` jobs per cluster):
 * - the longest dependency chain;
 * - per database, its backups one after another and then at least its shortest restore (the last
 *   backup's restore follows it), or its shortest backup and then its restores one after another;
 * - per cluster, its work spread evenly over its slots, plus the shortest job that must follow
 *   (a restore after the last backup) or precede (a backup before the first restore).
 */
export function lowerBound(plan: Plan, duration: (id: string) => number): { bound: number; terms: Record<string, number> } {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const d = (s: Step): number => (isJob(s) ? duration(s.id) : 0);
  const memo = new Map<string, number>();
  const chain = (s: Step): number => {
    const known = memo.get(s.id);
    if (known !== undefined) return known;
    const value = d(s) + Math.max(0, ...s.dependsOn.map((id) => chain(byId.get(id)!)));
    memo.set(s.id, value);
    return value;
  };
  const critical = Math.max(...plan.steps.map(chain));

  const jobs = plan.steps.filter(isJob);
  const perDb = new Map<string, { backups: number[]; restores: number[] }>();
  for (const s of jobs) {
    const db = s.kind === 'backup' ? s.database : s.sourceDatabase;
    const entry = perDb.get(db) ?? { backups: [], restores: [] };
    (s.kind === 'backup' ? entry.backups : entry.restores).push(d(s));
    perDb.set(db, entry);
  }
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const min = (xs: number[]): number => (xs.length ? Math.min(...xs) : 0);
  let database = 0;
  for (const { backups, restores } of perDb.values()) database = Math.max(database, sum(backups) + min(restores), min(backups) + sum(restores));

  const backups = jobs.filter((s) => s.kind === 'backup').map(d);
  const restores = jobs.filter((s) => s.kind === 'restore').map(d);
  const cluster = Math.max(sum(backups) / plan.options.concurrency.source + min(restores), min(backups) + sum(restores) / plan.options.concurrency.target);
  return { bound: Math.max(critical, database, cluster), terms: { critical, database, cluster } };
}

/** The hand-run runbook: every job one after another. */
export const runbook = (plan: Plan, duration: (id: string) => number): number => plan.steps.filter(isJob).reduce((t, s) => t + duration(s.id), 0);
