// Simulated execution of a plan by the scheduler's rules: jobs last a fixed 30 s plus bytes /
// speed, other steps are instant. The ranking is ours (readySteps) unless `order` gives another
// (largest remaining database first, chain only, ...), so tests compare policies on one instance.
import type { Plan, Step } from '../../src/plan/schema.js';
import { remainingChain } from '../../src/run/priority.js';
import { pickReady, readySteps } from '../../src/run/scheduler.js';
import { initialState, type RunState } from '../../src/run/state-model.js';

const duration = (s: Step, speed: number): number => (s.kind === 'backup' || s.kind === 'restore' ? 30 + s.bytes / speed : 0);

/** A ranking for pickReady, computed afresh from the state before each pick. */
export type Order = (plan: Plan, state: RunState) => (a: Step, b: Step) => number;

const dbOf = (s: Step): string | undefined => (s.kind === 'backup' ? s.database : s.kind === 'restore' ? s.sourceDatabase : undefined);

/** The simple rule an expert would use: the database with the most bytes not yet moved first (its jobs in plan order). */
export const largestDatabaseFirst: Order = (plan, state) => {
  const left = new Map<string, number>();
  for (const s of plan.steps) if ((s.kind === 'backup' || s.kind === 'restore') && state.steps[s.id]?.status !== 'done') left.set(dbOf(s)!, (left.get(dbOf(s)!) ?? 0) + s.bytes);
  const w = (s: Step): number => left.get(dbOf(s) ?? '') ?? 0;
  return (a, b) => w(b) - w(a) || plan.steps.indexOf(a) - plan.steps.indexOf(b);
};

/** The ranking before databases counted: the longest remaining dependency chain alone. */
export const chainOnly: Order = (plan) => {
  const chain = remainingChain(plan);
  return (a, b) => (chain.get(b.id) ?? 0) - (chain.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1);
};

export function simulateSchedule(plan: Plan, speed: number, order?: Order): { makespan: number; lowerBound: number; serial: number } {
  const state = initialState(plan, 'now');
  const chain = remainingChain(plan);
  const limits = { concurrency: plan.options.concurrency };
  let now = 0;
  const running: { id: string; end: number }[] = [];
  for (;;) {
    for (const s of order ? pickReady(plan, state, limits, order(plan, state)) : readySteps(plan, state, limits, chain)) {
      state.steps[s.id]!.status = 'running';
      running.push({ id: s.id, end: now + duration(s, speed) });
    }
    if (running.length === 0) break;
    running.sort((a, b) => a.end - b.end);
    const next = running.shift()!;
    now = next.end;
    state.steps[next.id]!.status = 'done';
    while (running[0]?.end === now) state.steps[running.shift()!.id]!.status = 'done';
  }
  // Lower bound: the longest dependency chain, or each cluster's work spread over its slots.
  const memo = new Map<string, number>();
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const longest = (s: Step): number => memo.get(s.id) ?? (memo.set(s.id, duration(s, speed) + Math.max(0, ...s.dependsOn.map((d) => longest(byId.get(d)!)))), memo.get(s.id)!);
  const critical = Math.max(...plan.steps.map(longest));
  // Per database, its backups run one at a time and the last one's restore follows (or the
  // first backup precedes its restores, one at a time): Doris's one-job-per-database rule.
  const perDb = new Map<string, { backups: number[]; restores: number[] }>();
  for (const s of plan.steps) {
    if (s.kind !== 'backup' && s.kind !== 'restore') continue;
    const entry = perDb.get(dbOf(s)!) ?? { backups: [], restores: [] };
    (s.kind === 'backup' ? entry.backups : entry.restores).push(duration(s, speed));
    perDb.set(dbOf(s)!, entry);
  }
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const database = Math.max(...[...perDb.values()].map((d) => Math.max(sum(d.backups) + Math.min(...d.restores), Math.min(...d.backups) + sum(d.restores))));
  const work = (cluster: 'source' | 'target') => plan.steps.filter((s) => (s.kind === 'backup' || s.kind === 'restore') && s.cluster === cluster).reduce((t, s) => t + duration(s, speed), 0);
  const lowerBound = Math.max(critical, database, work('source') / plan.options.concurrency.source, work('target') / plan.options.concurrency.target);
  // The hand-run runbook: one database at a time, backup then restore.
  const serial = plan.steps.reduce((t, s) => t + duration(s, speed), 0);
  return { makespan: now, lowerBound, serial };
}
