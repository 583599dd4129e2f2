// The job order `plan` searches: a permutation of the plan's jobs, no worse than the ranking
// formula in the planning models, repeatable, written into a valid plan, and followed by the run.
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/plan/fingerprint.js';
import { PlanSchema, type Plan } from '../../src/plan/schema.js';
import { planFromYaml, planToYaml } from '../../src/plan/yaml.js';
import { planningModels, searchJobOrder, withJobOrder } from '../../src/run/job-order.js';
import { renderText } from '../../src/plan/render.js';
import { fixedOrder, ranking, simulate, type Policy } from '../../src/run/schedule-model.js';
import { readySteps } from '../../src/run/scheduler.js';
import { initialState, isJob } from '../../src/run/state-model.js';
import { skewedPlan } from '../support/skewed-plan.js';

const GiB = 1024 ** 3;
const jobIds = (plan: Plan): string[] => plan.steps.filter(isJob).map((s) => s.id);

describe('searched job order', () => {
  const plan = skewedPlan({ databases: 12, concurrency: 3, batchBytes: 256 * GiB });

  it('orders every job once and beats the formula in each planning model', () => {
    const found = searchJobOrder(plan)!;
    expect(found).toBeDefined();
    expect([...found.order].sort()).toEqual(jobIds(plan).sort());
    expect(found.gain).toBeGreaterThan(1);
    for (const inst of planningModels(plan)) {
      const formula = simulate(inst, ranking(plan)).makespan;
      const searched = simulate(inst, fixedOrder(found.order)).makespan;
      expect(searched).toBeLessThanOrEqual(formula);
    }
  });

  it('is the same order every time for the same plan', () => {
    expect(searchJobOrder(plan)).toEqual(searchJobOrder(plan));
  });

  it('searches nothing when transfers never queue (a worker per job, or one job at a time)', () => {
    expect(searchJobOrder({ ...plan, options: { ...plan.options, transferWorkers: 3 } })).toBeUndefined();
    expect(searchJobOrder({ ...plan, options: { ...plan.options, concurrency: { source: 1, target: 1 } } })).toBeUndefined();
  });

  it('writes a plan that reads back with its fingerprint', () => {
    const ordered = withJobOrder(plan);
    expect(ordered.schedule?.order).toHaveLength(jobIds(plan).length);
    expect(ordered.fingerprint).toBe(fingerprintOf(ordered));
    expect(ordered.fingerprint).not.toBe(plan.fingerprint);
    expect(planFromYaml(planToYaml(ordered), 'plan.yaml')).toEqual(PlanSchema.parse(ordered));
  });

  it('shows in the review with its gain and first backups', () => {
    const ordered = withJobOrder(plan);
    const firstBackup = ordered.schedule!.order.find((id) => id.startsWith('backup:'))!;
    expect(renderText(ordered)).toMatch(new RegExp(`Job order: searched at plan time, [0-9.]+ % shorter than the ranking formula in the planning model \\(1 transfer worker per backend\\); first backups: ${firstBackup}, `));
    expect(renderText(plan)).toContain('Job order: by the ranking formula');
  });

  it('simulates a fixed order exactly as a ranking that sorts by it', () => {
    for (const inst of planningModels(plan)) {
      for (const seed of [1, 2, 3]) {
        const order = jobIds(plan).map((id, i) => ({ id, k: Math.sin(i * 7919 + seed) })).sort((a, b) => a.k - b.k).map((x) => x.id);
        const at = new Map(order.map((id, i) => [id, i]));
        const sorting: Policy = () => (ready) => [...ready].sort((a, b) => at.get(a.id)! - at.get(b.id)!);
        expect(simulate(inst, fixedOrder(order)).makespan).toBe(simulate(inst, sorting).makespan);
      }
    }
  });

  it('is what the run follows: the first picks are the order first jobs, not the formula', () => {
    const formulaPicks = readySteps(plan, setUp(plan), { concurrency: plan.options.concurrency }).filter(isJob).map((s) => s.id);
    // An order that starts with the smallest databases' backups, the opposite of the formula.
    const backups = plan.steps.filter((s) => s.kind === 'backup').map((s) => s.id);
    const order = [...backups.slice().reverse(), ...jobIds(plan).filter((id) => !backups.includes(id))];
    const reversed = { ...plan, schedule: { order, gain: 1.01 } };
    const picks = readySteps(reversed, setUp(reversed), { concurrency: reversed.options.concurrency }).filter(isJob).map((s) => s.id);
    const expected = order.filter((id) => backups.includes(id)).filter((id, i, all) => all.findIndex((x) => databaseOf(plan, x) === databaseOf(plan, id)) === i).slice(0, 3);
    expect(picks).toEqual(expected);
    expect(picks).not.toEqual(formulaPicks);
  });
});

const databaseOf = (plan: Plan, id: string): string => {
  const s = plan.steps.find((x) => x.id === id)!;
  return isJob(s) ? s.database : '';
};

/** A state with every setup step done (the repository and databases made), no job started. */
function setUp(plan: Plan) {
  const state = initialState(plan, 'now');
  for (const s of plan.steps) if (!isJob(s)) state.steps[s.id]!.status = 'done';
  return state;
}
