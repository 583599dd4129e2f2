// The scheduler's ranking: which ready step goes first. Pure. The scheduler (scheduler.ts) keeps
// the rules (dependencies, one job per database per cluster, the concurrency limits) and asks
// this module only for the order among the steps those rules allow.
//
// Among the ready, the step whose work bounds the end of the migration most goes first: the
// longer of its own remaining dependency chain and the serial work its database still has on that
// cluster (the database's jobs there run one at a time, then the shortest tail that follows the
// last of them). The second term is what makes a 5 TiB database of twelve batches start before a
// lone 480 GiB batch.
//
// A plan made with a searched job order (job-order.ts, the plan's `schedule`) ranks its jobs by
// that order instead; the formula then only seeds the search.
import type { Plan, Step } from '../plan/schema.js';
import { databaseKey, isJob, type RunState } from './state-model.js';


/** Work of a step for ranking: jobs weigh their bytes (plus a fixed cost), others a token. */
export const weight = (s: Step): number => (isJob(s) ? s.bytes + 1 : 1);

/** Longest chain of work from each step to the end of the plan (critical path). */
export function remainingChain(plan: Plan): Map<string, number> {
  // Built by push and folded by a loop: the repository step has every job as a dependent, and
  // copying the list per dependent (or spreading it into Math.max) grew with their square.
  const dependents = new Map<string, Step[]>();
  for (const s of plan.steps) for (const d of s.dependsOn) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(s);
  const memo = new Map<string, number>();
  const visit = (s: Step): number => {
    const known = memo.get(s.id);
    if (known !== undefined) return known;
    let next = 0;
    for (const d of dependents.get(s.id) ?? []) next = Math.max(next, visit(d));
    const value = weight(s) + next;
    memo.set(s.id, value);
    return value;
  };
  for (const s of plan.steps) visit(s);
  return memo;
}

/** The work that follows a step once it is done: its chain without itself. */
export const tailOf = (s: Step, chain: Map<string, number>): number => (chain.get(s.id) ?? 0) - weight(s);

const jobKey = (s: Step): string | undefined => (isJob(s) ? databaseKey(s) : undefined);

/**
 * Each step's rank for the current state: its remaining chain, or for a job the remaining serial
 * work of its database on its cluster (every job there not yet finished, the running one
 * included, plus the shortest tail after them) when that is longer.
 */
export function priorities(plan: Plan, state: RunState, chain = remainingChain(plan)): Map<string, number> {
  if (plan.schedule) return searchedRanks(plan, chain);
  const serial = new Map<string, { work: number; tail: number }>();
  for (const s of plan.steps) {
    const status = state.steps[s.id]?.status;
    if (!isJob(s) || status === 'done') continue;
    const key = jobKey(s)!;
    const entry = serial.get(key) ?? { work: 0, tail: Infinity };
    entry.work += weight(s);
    entry.tail = Math.min(entry.tail, tailOf(s, chain));
    serial.set(key, entry);
  }
  const out = new Map<string, number>();
  for (const s of plan.steps) {
    const own = chain.get(s.id) ?? 0;
    const db = isJob(s) ? serial.get(jobKey(s)!) : undefined;
    out.set(s.id, db ? Math.max(own, db.work + db.tail) : own);
  }
  return out;
}

/**
 * Ranks from the plan's searched order (job-order.ts): the first job ranks highest, and no job's
 * rank changes as others finish. A job the order leaves out (none, unless the plan was made by
 * hand) ranks above the listed ones by the formula's own term, its remaining chain.
 */
function searchedRanks(plan: Plan, chain: Map<string, number>): Map<string, number> {
  const position = new Map(plan.schedule!.order.map((id, i) => [id, i]));
  const listed = position.size;
  const out = new Map<string, number>();
  for (const s of plan.steps) {
    const at = isJob(s) ? position.get(s.id) : undefined;
    out.set(s.id, at !== undefined ? listed - at : (chain.get(s.id) ?? 0) + listed);
  }
  return out;
}

/** The order among ready steps for the current state, best first (a comparator for sort). */
export function priorityOrder(plan: Plan, state: RunState, chain = remainingChain(plan)): (a: Step, b: Step) => number {
  return rankOrder(priorities(plan, state, chain), chain);
}

/** The same order over ranks kept elsewhere (the run's Dispatcher updates them in place). */
export function rankOrder(rank: Map<string, number>, chain: Map<string, number>): (a: Step, b: Step) => number {
  const by = (s: Step): number => rank.get(s.id) ?? 0;
  // Ties (a database's batches weigh alike) go to the longer own chain, then plan order. Within
  // one database every job's rank is the larger of its chain and the same serial term, so its
  // jobs keep one order, by chain then id, whatever is done: the Dispatcher relies on it.
  return (a, b) => by(b) - by(a) || (chain.get(b.id) ?? 0) - (chain.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1);
}
