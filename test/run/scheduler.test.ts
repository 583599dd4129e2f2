// The scheduler's rules, and how close its schedule gets to the best possible for a plan.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/run/schedule-model.js';
import { readySteps } from '../../src/run/scheduler.js';
import { initialState } from '../../src/run/state-model.js';
import { chainOnly, largestDatabaseFirst, simulateSchedule } from '../support/schedule-sim.js';
import { skewedPlan } from '../support/skewed-plan.js';

const GiB = 1024 ** 3;

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

  it('starts the 5 TiB database of many serial batches first (concurrency 4, 128 GiB batches)', () => {
    const plan = skewedPlan({ concurrency: 4, batchBytes: 128 * GiB });
    const speed = 200 * 1024 ** 2;
    const ours = simulateSchedule(plan, speed);
    // Ranking by the dependency chain alone sees each batch as small: 1.09 x the bound here.
    expect(simulateSchedule(plan, speed, chainOnly).makespan / ours.lowerBound).toBeGreaterThan(1.05);
    expect(ours.makespan / ours.lowerBound).toBeLessThanOrEqual(1.005);
    expect(ours.makespan).toBeLessThanOrEqual(simulateSchedule(plan, speed, largestDatabaseFirst).makespan);
    // The first backups the scheduler starts belong to the biggest databases.
    const state = initialState(plan, 'now');
    for (const s of plan.steps) if (s.kind !== 'backup' && s.kind !== 'restore') state.steps[s.id]!.status = 'done';
    const first = readySteps(plan, state, { concurrency: plan.options.concurrency }).map((s) => (s as { database: string }).database);
    expect(first).toEqual(['db29', 'db28', 'db27', 'db26']);
  });

  it('is never more than 2% slower than "largest remaining database first" over random skewed workloads', () => {
    // Seeded, so the workloads are the same on every run.
    const random = mulberry32(17);
    const worst: number[] = [];
    for (let w = 0; w < 40; w++) {
      const sizes = Array.from({ length: 8 + Math.floor(random() * 20) }, () => Math.round(GiB * Math.pow(5 * 1024, random() ** 2)));
      const plan = skewedPlan({ sizes, concurrency: [2, 4, 8][w % 3]!, batchBytes: [128, 512][w % 2]! * GiB });
      const speed = 200 * 1024 ** 2;
      worst.push(simulateSchedule(plan, speed).makespan / simulateSchedule(plan, speed, largestDatabaseFirst).makespan);
    }
    expect(Math.max(...worst)).toBeLessThanOrEqual(1.02);
  });
});
