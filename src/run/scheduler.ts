// Which steps to start now. Pure. Rules: dependencies done; one BACKUP/RESTORE job per database
// per cluster (Doris's rule); at most `concurrency` jobs per cluster. Which of the ready goes
// first is the ranking's (priority.ts).
import type { Plan, Step } from '../plan/schema.js';
import { priorityOrder, remainingChain } from './priority.js';
import { databaseKey, isActive, isJob, type RunState } from './state-model.js';

export interface Limits {
  concurrency: { source: number; target: number };
}

/**
 * The steps the rules allow now, taken in `order` (best first) until the per-cluster and
 * per-database limits are reached. readySteps passes our ranking; benchmarks pass others.
 */
export function pickReady(plan: Plan, state: RunState, limits: Limits, order: (a: Step, b: Step) => number): Step[] {
  const running = { source: 0, target: 0 };
  const busyDatabases = new Set<string>();
  for (const s of plan.steps) {
    const st = state.steps[s.id];
    if (!st || !isActive(st) || !isJob(s)) continue;
    running[s.cluster]++;
    busyDatabases.add(databaseKey(s));
  }
  const candidates = plan.steps
    .filter((s) => state.steps[s.id]?.status === 'pending')
    .filter((s) => s.dependsOn.every((d) => state.steps[d]?.status === 'done'))
    .sort(order);
  const out: Step[] = [];
  for (const s of candidates) {
    if (isJob(s)) {
      const key = databaseKey(s);
      if (busyDatabases.has(key) || running[s.cluster] >= limits.concurrency[s.cluster]) continue;
      busyDatabases.add(key);
      running[s.cluster]++;
    }
    out.push(s);
  }
  return out;
}

/** One pick over the whole state; a run keeps a Dispatcher (dispatcher.ts), which gives the same picks incrementally. */
export function readySteps(plan: Plan, state: RunState, limits: Limits, chain = remainingChain(plan)): Step[] {
  return pickReady(plan, state, limits, priorityOrder(plan, state, chain));
}
