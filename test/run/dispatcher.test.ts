// The Dispatcher keeps the scheduler's picks up to date incrementally; readySteps computes them
// afresh from the whole state. On random runs (random plans, random outcomes, random order of
// endings) both must pick the same steps in the same order at every turn.
import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../src/plan/schema.js';
import { Dispatcher } from '../../src/run/dispatcher.js';
import { mulberry32 } from '../../src/run/schedule-model.js';
import { readySteps } from '../../src/run/scheduler.js';
import { initialState, type RunState, type StepStatus } from '../../src/run/state-model.js';
import { skewedPlan } from '../support/skewed-plan.js';

const GiB = 1024 ** 3;

const ids = (steps: Step[]): string[] => steps.map((s) => s.id);
const pick = <T>(random: () => number, xs: T[]): T => xs[Math.floor(random() * xs.length)]!;

/** A random plan: databases of random sizes, batch sizes and limits (some clusters narrower than the other). */
function randomPlan(random: () => number, large?: { sizes: number[]; tables: number; unlike: boolean; batchBytes: number }): Plan {
  const sizes = large?.sizes ?? Array.from({ length: 2 + Math.floor(random() * 14) }, () => Math.round(GiB * Math.pow(5 * 1024, random() ** 2)));
  const batchBytes = large?.batchBytes ?? pick(random, [64, 128, 512, 2048]) * GiB;
  const plan = skewedPlan({ sizes, tables: large?.tables, unlike: large?.unlike, concurrency: pick(random, [1, 2, 3, 4, 8]), batchBytes });
  const target = pick(random, [1, 2, 4, plan.options.concurrency.source]);
  const options = { ...plan.options, concurrency: { source: plan.options.concurrency.source, target } };
  if (random() < 0.5) return { ...plan, options };
  // Half the plans carry a job order (as `plan` searches one): a random one, so ranks never change.
  const order = plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').map((s) => ({ id: s.id, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.id);
  return { ...plan, options, schedule: { order, gain: 1.01 } };
}

/**
 * A state as a resumed run may find it: some steps done, a few in flight, some failed or left
 * for a person (only where what they depend on is done).
 */
function randomState(plan: Plan, random: () => number, doneShare = 0.5): RunState {
  const state = initialState(plan, 'now');
  for (const s of plan.steps) {
    if (!s.dependsOn.every((d) => state.steps[d]!.status === 'done')) continue;
    const r = random();
    const d = doneShare;
    state.steps[s.id]!.status = r < d ? 'done' : r < d + 0.05 ? 'running' : r < d + 0.1 ? 'failed' : r < d + 0.12 ? 'manual' : 'pending';
  }
  return state;
}

/**
 * Runs the plan with the Dispatcher, ending steps in random order with random outcomes (mostly
 * done), and checks each pick against readySteps on the same state. Returns the turns compared.
 */
function compareRun(plan: Plan, state: RunState, random: () => number): number {
  const limits = { concurrency: plan.options.concurrency };
  const dispatcher = new Dispatcher(plan, state, limits);
  const moving = plan.steps.filter((s) => state.steps[s.id]!.status === 'running').map((s) => s.id);
  for (const id of moving) dispatcher.started(id);
  let turns = 0;
  for (;;) {
    const expected = ids(readySteps(plan, state, limits));
    const taken = dispatcher.take();
    expect(ids(taken)).toEqual(expected);
    turns++;
    for (const s of taken) {
      state.steps[s.id]!.status = 'running';
      moving.push(s.id);
    }
    if (moving.length === 0) return turns;
    // One or more steps end. A done step is settled (its drive over) before the next pick, since
    // what depends on it waits for that; a failed one may be seen first at the next pick.
    for (let n = 1 + Math.floor(random() * 3); n > 0 && moving.length; n--) {
      const [id] = moving.splice(Math.floor(random() * moving.length), 1);
      const r = random();
      const outcome: StepStatus = r < 0.9 ? 'done' : r < 0.97 ? 'failed' : 'manual';
      state.steps[id!]!.status = outcome;
      if (outcome === 'done' || random() < 0.5) dispatcher.settled(id!);
    }
  }
}

describe('Dispatcher', () => {
  it('picks what readySteps picks, turn after turn, on random runs from scratch and from half-done states', () => {
    const random = mulberry32(4242);
    let turns = 0;
    for (let run = 0; run < 60; run++) {
      const plan = randomPlan(random);
      turns += compareRun(plan, run % 2 ? randomState(plan, random) : initialState(plan, 'now'), random);
    }
    // Enough turns that the comparison saw databases start, finish and re-rank many times.
    expect(turns).toBeGreaterThan(1000);
  });

  it('picks what readySteps picks on large single databases, from scratch and resumed with most of their jobs done', () => {
    // A database of hundreds of batches: its ready jobs wait in one fixed order and only its serial
    // term moves as they end; resumed, the job holding its shortest tail may be done already.
    const random = mulberry32(977);
    let turns = 0;
    for (let run = 0; run < 6; run++) {
      // One database of 40 tables of unlike sizes (320 partitions, so unlike chains) in batches of
      // one partition or two, and at times a smaller database beside it.
      const sizes = [6400 * GiB, ...(run % 4 ? [Math.round(random() * 2048 * GiB)] : [])];
      const plan = randomPlan(random, { sizes, tables: 40, unlike: true, batchBytes: Math.round((1 + random()) * 10 * GiB) });
      const fromScratch = run % 2 === 0;
      turns += compareRun(plan, fromScratch ? initialState(plan, 'now') : randomState(plan, random, 0.8), random);
    }
    expect(turns).toBeGreaterThan(1000);
  });

  it('counts a handed-out job as running before its intent is recorded: no second job on its database, no slot over the limit', () => {
    const plan = skewedPlan({ databases: 3, concurrency: 1 });
    const state = initialState(plan, 'now');
    for (const s of plan.steps) if (s.kind !== 'backup' && s.kind !== 'restore') state.steps[s.id]!.status = 'done';
    const dispatcher = new Dispatcher(plan, state, { concurrency: plan.options.concurrency });
    const first = dispatcher.take().filter((s) => s.kind === 'backup');
    expect(first).toHaveLength(1);
    // Still pending (its drive is reading the cluster before it records the intent): nothing more yet.
    expect(dispatcher.take()).toEqual([]);
    // Its drive ended without an attempt (stopped): it is ready again.
    dispatcher.settled(first[0]!.id);
    expect(ids(dispatcher.take())).toEqual(ids(first));
  });

  it("frees a finished job's slot and database at once, and starts what depends on it only once its drive ended", () => {
    const plan = skewedPlan({ databases: 2, concurrency: 1, batchBytes: 64 * GiB });
    const state = initialState(plan, 'now');
    for (const s of plan.steps) if (s.kind !== 'backup' && s.kind !== 'restore') state.steps[s.id]!.status = 'done';
    const dispatcher = new Dispatcher(plan, state, { concurrency: plan.options.concurrency });
    const [backup] = dispatcher.take();
    state.steps[backup!.id]!.status = 'running';
    expect(dispatcher.take()).toEqual([]);
    // Done, its outcome being written: the next backup of its database may start, its restore not yet.
    state.steps[backup!.id]!.status = 'done';
    const next = dispatcher.take();
    expect(next.map((s) => s.kind)).toEqual(['backup']);
    expect((next[0] as { database: string }).database).toBe((backup as { database: string }).database);
    dispatcher.settled(backup!.id);
    const restores = dispatcher.take();
    expect(restores.map((s) => s.kind)).toEqual(['restore']);
    expect(restores[0]!.dependsOn).toContain(backup!.id);
  });
});
