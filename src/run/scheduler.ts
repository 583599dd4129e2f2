// Which steps to start now. Pure. Rules: dependencies done; one BACKUP/RESTORE job per database
// per cluster (Doris's rule); at most `concurrency` jobs per cluster; among the ready, the step
// with the longest remaining chain of work (bytes) goes first, which keeps the makespan close to
// the lower bound instead of merely valid.
import type { Plan, Step } from '../plan/schema.js';
import { isActive, isJobStep, type RunState } from './state-model.js';

export interface Limits {
  concurrency: { source: number; target: number };
}

/** Work of a step for ranking: jobs weigh their bytes (plus a fixed cost), others a token. */
const weight = (s: Step): number => (s.kind === 'backup' || s.kind === 'restore' ? s.bytes + 1 : 1);

/** Longest chain of work from each step to the end of the plan (critical path). */
export function remainingChain(plan: Plan): Map<string, number> {
  const dependents = new Map<string, Step[]>();
  for (const s of plan.steps) for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s]);
  const memo = new Map<string, number>();
  const visit = (s: Step): number => {
    const known = memo.get(s.id);
    if (known !== undefined) return known;
    const next = Math.max(0, ...(dependents.get(s.id) ?? []).map(visit));
    const value = weight(s) + next;
    memo.set(s.id, value);
    return value;
  };
  for (const s of plan.steps) visit(s);
  return memo;
}

const jobKey = (s: Step): string | undefined => (s.kind === 'backup' || s.kind === 'restore' ? `${s.cluster}\u0000${s.database}` : undefined);

export function readySteps(plan: Plan, state: RunState, limits: Limits, chain = remainingChain(plan)): Step[] {
  const running = { source: 0, target: 0 };
  const busyDatabases = new Set<string>();
  for (const s of plan.steps) {
    const st = state.steps[s.id];
    if (!st || !isActive(st) || !isJobStep(s.kind)) continue;
    running[(s as { cluster: 'source' | 'target' }).cluster]++;
    busyDatabases.add(jobKey(s)!);
  }
  const candidates = plan.steps
    .filter((s) => state.steps[s.id]?.status === 'pending')
    .filter((s) => s.dependsOn.every((d) => state.steps[d]?.status === 'done'))
    .sort((a, b) => (chain.get(b.id) ?? 0) - (chain.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1));
  const out: Step[] = [];
  for (const s of candidates) {
    const key = jobKey(s);
    if (key) {
      const cluster = (s as { cluster: 'source' | 'target' }).cluster;
      if (busyDatabases.has(key) || running[cluster] >= limits.concurrency[cluster]) continue;
      busyDatabases.add(key);
      running[cluster]++;
    }
    out.push(s);
  }
  return out;
}
