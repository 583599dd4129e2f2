// The scheduler's rules, and how close its schedule gets to the best possible for a plan.
import { describe, expect, it } from 'vitest';
import { readySteps } from '../../src/run/scheduler.js';
import { initialState } from '../../src/run/state-model.js';
import { simulateSchedule } from '../support/schedule-sim.js';
import { skewedPlan } from '../support/skewed-plan.js';

describe('readySteps', () => {
  it('honours dependencies, one job per database per cluster, and the per-cluster limit', () => {
    const plan = skewedPlan({ databases: 6, concurrency: 2 });
    const state = initialState(plan, 'now');
    expect(readySteps(plan, state, { concurrency: plan.options.concurrency }).map((s) => s.id)).toEqual(['preflight']);
    for (const id of ['preflight', 'repo:source', 'repo:target']) state.steps[id]!.status = 'done';
    for (const s of plan.steps) if (s.kind === 'create-database') state.steps[s.id]!.status = 'done';
    const ready = readySteps(plan, state, { concurrency: plan.options.concurrency });
    const backups = ready.filter((s) => s.kind === 'backup');
    expect(backups).toHaveLength(2);
    expect(new Set(backups.map((b) => (b as { database: string }).database)).size).toBe(2);
    // The biggest databases (longest remaining chains) go first.
    expect(backups.map((b) => (b as { database: string }).database)).toEqual(['db05', 'db04']);
    state.steps[backups[0]!.id]!.status = 'running';
    const next = readySteps(plan, state, { concurrency: plan.options.concurrency }).filter((s) => s.kind === 'backup');
    expect(next.map((b) => (b as { database: string }).database)).toEqual(['db04']);
  });
});

describe('makespan', () => {
  it('stays within 10% of the lower bound on a skewed workload, far below the hand-run runbook', () => {
    const plan = skewedPlan();
    const { makespan, lowerBound, serial } = simulateSchedule(plan, 200 * 1024 ** 2);
    expect(makespan / lowerBound).toBeLessThanOrEqual(1.1);
    expect(makespan).toBeLessThan(serial / 2);
  });
});
