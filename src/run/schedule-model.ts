// A pure model of running a plan's jobs, to compare job orders: each job has a fixed part before
// its transfer, the transfer, and a fixed part after. With `shared` transfers a cluster's
// transfers queue for its backends' workers (first come, first served, `lanes` at a time: Doris's
// default is one upload and one download worker per backend); otherwise each job moves as if alone. The rules are the scheduler's: dependencies, one job per database per
// cluster, `concurrency` per cluster. Which ready job goes first is the policy: a ranking, or a
// fixed priority order (what `searchOrder` varies). The planner searches an order on estimated
// durations (job-order.ts); the benchmarks compare policies on measured ones.
import type { Plan, Step } from '../plan/schema.js';
import { MinHeap } from './min-heap.js';
import { priorities, rankOrder, remainingChain } from './priority.js';
import { databaseKey, initialState, isJob, type JobStep } from './state-model.js';

type Cluster = 'source' | 'target';

/** One BACKUP or RESTORE job of the model. */
export interface ModelJob {
  id: string;
  cluster: Cluster;
  /** The database the one-job-per-database rule counts (per cluster). */
  database: string;
  bytes: number;
  /** Other model jobs that must finish first. */
  after: string[];
  /** Simulated ms before the transfer (submission to upload/download), the transfer, and after it. */
  pre: number;
  transfer: number;
  post: number;
}

export interface Instance {
  jobs: ModelJob[];
  concurrency: Record<Cluster, number>;
  shared: boolean;
  /** With shared transfers, how many a cluster moves at once (its workers per backend; default 1). */
  lanes?: number;
}

/**
 * Ranks ready jobs, best first; it may read what is done (for rankings that change as jobs
 * finish). A fixed priority order is given as `order` instead (much faster to search over).
 */
export type Policy = ((inst: Instance) => (ready: ModelJob[], done: ReadonlySet<string>, running: ReadonlySet<string>) => ModelJob[]) & { order?: string[] };

/** A solo job's duration. */
export const solo = (j: ModelJob): number => j.pre + j.transfer + j.post;

/** Runs the instance under `policy`; returns the makespan and the order jobs started in. */
export function simulate(inst: Instance, policy: Policy): { makespan: number; started: string[] } {
  const rank = policy.order ? undefined : policy(inst);
  const done = new Set<string>();
  const running = new Set<string>();
  const slots: Record<Cluster, number> = { source: 0, target: 0 };
  // When each transfer lane of a cluster is next free.
  const lanes: Record<Cluster, number[]> = { source: Array<number>(inst.lanes ?? 1).fill(0), target: Array<number>(inst.lanes ?? 1).fill(0) };
  // Pending events: a transfer asking for its turn, or a job ending.
  const events: { at: number; kind: 'book' | 'end'; job: ModelJob; seq: number }[] = [];
  let seq = 0;
  const rankOf = new Map((policy.order ?? inst.jobs.map((j) => j.id)).map((id, i) => [id, i]));
  // Jobs whose dependencies are done, per database on its cluster in priority order (for a fixed
  // order a database's first is its only candidate), and how many unfinished dependencies each
  // other job waits on.
  const databases: Record<Cluster, Map<string, { busy: boolean; released: ModelJob[] }>> = { source: new Map(), target: new Map() };
  const databaseOf = (j: ModelJob) => databases[j.cluster].get(j.database) ?? databases[j.cluster].set(j.database, { busy: false, released: [] }).get(j.database)!;
  const waiting = new Map(inst.jobs.map((j) => [j.id, j.after.length]));
  const dependents = new Map<string, ModelJob[]>();
  for (const j of inst.jobs) for (const a of j.after) (dependents.get(a) ?? dependents.set(a, []).get(a)!).push(j);
  // A fixed order picks each cluster's best database head; the heads wait in a heap per cluster,
  // and an entry that is no longer a free database's head is dropped when it comes up.
  const heads: Record<Cluster, MinHeap<ModelJob>> = { source: new MinHeap(), target: new MinHeap() };
  const offerHead = (c: Cluster, db: { busy: boolean; released: ModelJob[] }): void => {
    const head = db.released[0];
    if (!db.busy && head) heads[c].push(rankOf.get(head.id)!, head);
  };
  const release = (j: ModelJob): void => {
    const queue = databaseOf(j).released;
    const at = rankOf.get(j.id)!;
    let i = queue.length;
    while (i > 0 && rankOf.get(queue[i - 1]!.id)! > at) i--;
    queue.splice(i, 0, j);
    if (i === 0) offerHead(j.cluster, databaseOf(j));
  };
  for (const j of inst.jobs) if (j.after.length === 0) release(j);
  const started: string[] = [];
  let left = inst.jobs.length;
  let now = 0;
  const start = (j: ModelJob): void => {
    const db = databaseOf(j);
    db.busy = true;
    db.released.splice(db.released.indexOf(j), 1);
    slots[j.cluster]++;
    running.add(j.id);
    left--;
    started.push(j.id);
    if (inst.shared) events.push({ at: now + j.pre, kind: 'book', job: j, seq: seq++ });
    else events.push({ at: now + solo(j), kind: 'end', job: j, seq: seq++ });
  };
  const free = (c: Cluster): boolean => slots[c] < inst.concurrency[c];
  const startReady = (): void => {
    for (const cluster of ['source', 'target'] as const) {
      if (rank) {
        if (!free(cluster)) continue;
        const ready: ModelJob[] = [];
        for (const db of databases[cluster].values()) if (!db.busy) ready.push(...db.released);
        for (const j of rank(ready, done, running)) {
          if (!free(cluster)) break;
          if (!databaseOf(j).busy) start(j);
        }
        continue;
      }
      while (free(cluster)) {
        const j = heads[cluster].pop();
        if (!j) break;
        const db = databaseOf(j);
        if (db.busy || db.released[0] !== j) continue;
        start(j);
      }
    }
  };
  startReady();
  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const e = events.shift()!;
    now = e.at;
    if (e.kind === 'book') {
      const free = lanes[e.job.cluster];
      const lane = free.indexOf(Math.min(...free));
      const from = Math.max(now, free[lane]!);
      free[lane] = from + e.job.transfer;
      events.push({ at: from + e.job.transfer + e.job.post, kind: 'end', job: e.job, seq: seq++ });
      continue;
    }
    done.add(e.job.id);
    running.delete(e.job.id);
    for (const d of dependents.get(e.job.id) ?? []) {
      const n = waiting.get(d.id)! - 1;
      waiting.set(d.id, n);
      if (n === 0) release(d);
    }
    databaseOf(e.job).busy = false;
    offerHead(e.job.cluster, databaseOf(e.job));
    slots[e.job.cluster]--;
    // Jobs ending at the same instant all free their slots before the next pick.
    if (events.some((x) => x.at === now && x.kind === 'end')) continue;
    startReady();
  }
  if (left > 0) throw new Error(`model stuck with ${left} jobs left`);
  return { makespan: now, started };
}

/** A fixed priority order: earlier in `order` goes first. */
export const fixedOrder = (order: string[]): Policy =>
  Object.assign(() => {
    throw new Error('a fixed order is applied by simulate itself');
  }, { order });

/**
 * The run's own ranking (priority.ts, as the Dispatcher applies it): the plan's searched order
 * when it has one, else the formula, whose serial term for a database changes only when one of
 * its jobs ends, so only that database is ranked again.
 */
export const ranking = (plan: Plan): Policy => () => {
  const chain = remainingChain(plan);
  const state = initialState(plan, 'model');
  const rank = priorities(plan, state, chain);
  const order = rankOrder(rank, chain);
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const open = new Map<string, Set<Step>>();
  for (const s of plan.steps.filter(isJob)) {
    const key = databaseKey(s);
    (open.get(key) ?? open.set(key, new Set()).get(key)!).add(s);
  }
  let seen = 0;
  return (ready, done) => {
    if (!plan.schedule && done.size > seen) {
      let i = 0;
      for (const id of done) {
        if (i++ < seen) continue;
        const s = byId.get(id)! as JobStep;
        const mine = open.get(databaseKey(s))!;
        mine.delete(s);
        for (const [k, r] of priorities({ ...plan, steps: [...mine] }, state, chain)) rank.set(k, r);
      }
      seen = done.size;
    }
    return [...ready].sort((a, b) => order(byId.get(a.id)!, byId.get(b.id)!));
  };
};

/**
 * The best order a local search finds for `cost` (lower is better): starts from the given orders
 * and moves one job at a time to another place, keeping any order that costs no more, for
 * `evaluations` tries. Deterministic for a seed.
 */
export function searchOrder(cost: (order: string[]) => number, seeds: string[][], evaluations: number, seed = 1): { cost: number; order: string[] } {
  const next = mulberry32(seed);
  let best = { cost: Infinity, order: seeds[0]! };
  for (const order of seeds) {
    const c = cost(order);
    if (c < best.cost) best = { cost: c, order };
  }
  for (let i = 0; i < evaluations; i++) {
    const order = [...best.order];
    const from = Math.floor(next() * order.length);
    // Mostly small moves (a job a few places earlier or later), sometimes far.
    const span = next() < 0.7 ? Math.max(1, Math.floor(order.length / 20)) : order.length;
    const to = Math.min(order.length - 1, Math.max(0, from + Math.round((next() * 2 - 1) * span)));
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    const c = cost(order);
    if (c <= best.cost) best = { cost: c, order };
  }
  return best;
}

/** mulberry32: a small seeded generator. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The model jobs of a plan: job-step dependencies through other (instant) steps kept, durations from `timing`. */
export function instanceOf(plan: Plan, timing: (s: JobStep) => { pre: number; transfer: number; post: number }, shared: boolean): Instance {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const jobDeps = (s: Step, seen = new Set<string>()): string[] =>
    s.dependsOn.flatMap((d) => {
      if (seen.has(d)) return [];
      seen.add(d);
      const dep = byId.get(d)!;
      return isJob(dep) ? [d] : jobDeps(dep, seen);
    });
  const jobs = plan.steps.filter(isJob).map((s) => ({ id: s.id, cluster: s.cluster, database: s.kind === 'backup' ? s.database : s.sourceDatabase, bytes: s.bytes, after: jobDeps(s), ...timing(s) }));
  return { jobs, concurrency: plan.options.concurrency, shared };
}
