// Simulated execution of a plan by the real scheduler: jobs last bytes / speed, other steps are
// instant. Returns the makespan and the plan's lower bound, so benchmarks and tests can compare.
import type { Plan, Step } from '../../src/plan/schema.js';
import { readySteps, remainingChain } from '../../src/run/scheduler.js';
import { initialState } from '../../src/run/state-model.js';

const duration = (s: Step, speed: number): number => (s.kind === 'backup' || s.kind === 'restore' ? 30 + s.bytes / speed : 0);

export function simulateSchedule(plan: Plan, speed: number): { makespan: number; lowerBound: number; serial: number } {
  const state = initialState(plan, 'now');
  const chain = remainingChain(plan);
  const limits = { concurrency: plan.options.concurrency };
  let now = 0;
  const running: { id: string; end: number }[] = [];
  for (;;) {
    for (const s of readySteps(plan, state, limits, chain)) {
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
  // Per database, jobs on one cluster run one at a time (Doris's rule).
  const perDb = new Map<string, number>();
  for (const s of plan.steps) if (s.kind === 'backup' || s.kind === 'restore') perDb.set(`${s.cluster}:${s.database}`, (perDb.get(`${s.cluster}:${s.database}`) ?? 0) + duration(s, speed));
  const work = (cluster: 'source' | 'target') => plan.steps.filter((s) => (s.kind === 'backup' || s.kind === 'restore') && s.cluster === cluster).reduce((t, s) => t + duration(s, speed), 0);
  const lowerBound = Math.max(critical, ...perDb.values(), work('source') / plan.options.concurrency.source, work('target') / plan.options.concurrency.target);
  // The hand-run runbook: one database at a time, backup then restore.
  const serial = plan.steps.reduce((t, s) => t + duration(s, speed), 0);
  return { makespan: now, lowerBound, serial };
}
