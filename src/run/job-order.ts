// The order a run starts its jobs in, searched when the plan is made. The ranking formula
// (priority.ts) is a good rule, but on a skewed workload an order found by trying many is a few
// per cent shorter: it starts mid-size databases first so the target's restores begin early,
// spreads the largest database over the whole run and ends on small ones. The search runs on a
// duration model made from the plan alone: its bytes, a fixed cost per job, and a cluster's
// transfers `transferWorkers` at a time (Doris's default is one upload and one download worker per
// backend, so one at a time). Only the durations' ratios shape an order, so the model's rate need
// not be the clusters' real one.
// The result goes into the plan (`schedule`), so a review shows it and a resume costs nothing.
import type { Plan } from '../plan/schema.js';
import { fingerprintOf } from '../plan/fingerprint.js';
import { fixedOrder, instanceOf, ranking, searchOrder, simulate, type Instance } from './schedule-model.js';
import { isJob } from './state-model.js';

const GiB = 1024 ** 3;

/** Job simulations the search may run in all (evaluations times jobs, all models): about a second at 150 jobs. */
const BUDGET = 300_000;
/** Fewer evaluations than this find little: a bigger plan keeps the formula. */
const MIN_EVALUATIONS = 40;
const MAX_EVALUATIONS = 1500;
/** A job's fixed parts (s) around its transfer in the models: short and long, so an order fits neither alone. */
const FIXED_SECONDS = [10, 60];
/** The models' rate (bytes/s a worker lane moves): only ratios shape an order. */
const LANE_BYTES_PER_SECOND = GiB;

/** The plan's jobs in the planning models: one per fixed part, transfers `transferWorkers` at a time per cluster. */
export function planningModels(plan: Plan): Instance[] {
  const lanes = plan.options.transferWorkers ?? 1;
  return FIXED_SECONDS.map((fixed) => ({
    ...instanceOf(plan, (s) => ({ pre: fixed * 1000, transfer: (s.bytes / LANE_BYTES_PER_SECOND) * 1000, post: fixed * 1000 }), true),
    lanes,
  }));
}

/**
 * The best order found for the plan's jobs, and the formula's modelled makespan over the order's
 * (how much the search gained); undefined when the plan has fewer than two jobs, too many to
 * search within the budget, transfers that never queue, or no order that beats the formula.
 */
export function searchJobOrder(plan: Plan): { order: string[]; gain: number } | undefined {
  const jobs = plan.steps.filter(isJob);
  const evaluations = Math.min(MAX_EVALUATIONS, Math.floor(BUDGET / FIXED_SECONDS.length / Math.max(1, jobs.length)));
  if (jobs.length < 2 || evaluations < MIN_EVALUATIONS) return undefined;
  // With a worker for every job a cluster runs, transfers never queue and the formula is close to
  // the best order found (within 4 % over the benchmarks' sweep), while an order searched in such
  // models fitted their durations: on the sweep's, which differ, it lost up to 6 %. Keep the formula.
  const workers = plan.options.transferWorkers ?? 1;
  if (workers >= Math.max(plan.options.concurrency.source, plan.options.concurrency.target)) return undefined;
  const { schedule: _ignored, ...unordered } = plan;
  const models = planningModels(unordered);
  const byFormula = models.map((inst) => simulate(inst, ranking(unordered)));
  // Seeds: the formula's starts in each model, the plan's own order, and largest database first.
  const databaseBytes = new Map<string, number>();
  for (const j of models[0]!.jobs) databaseBytes.set(j.database, (databaseBytes.get(j.database) ?? 0) + j.bytes);
  const listed = models[0]!.jobs.map((j) => j.id);
  const byDatabase = models[0]!.jobs.map((j, i) => ({ id: j.id, i, bytes: databaseBytes.get(j.database)! })).sort((a, b) => b.bytes - a.bytes || a.i - b.i).map((x) => x.id);
  // An order's cost: its makespan over the formula's, on average over the models.
  const cost = (order: string[]): number => models.reduce((t, inst, i) => t + simulate(inst, fixedOrder(order)).makespan / byFormula[i]!.makespan, 0) / models.length;
  const best = searchOrder(cost, [...byFormula.map((r) => r.started), listed, byDatabase], evaluations);
  // An order that does not beat the formula is not worth a line in the plan.
  const gain = Math.round((1 / best.cost) * 1000) / 1000;
  return gain > 1 ? { order: best.order, gain } : undefined;
}

/** The plan with its searched job order (and its fingerprint made again), or as it was when none is searched. */
export function withJobOrder(plan: Plan): Plan {
  const found = searchJobOrder(plan);
  // Nothing to add or take away: the plan and its fingerprint stand (0.6 s to hash again at 100,000 steps).
  if (!found && plan.schedule === undefined) return plan;
  const { schedule: _old, fingerprint: _fp, ...rest } = plan;
  const next = found ? { ...rest, schedule: found } : rest;
  return { ...next, fingerprint: fingerprintOf(next) };
}
