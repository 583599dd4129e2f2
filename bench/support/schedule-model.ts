// A pure model of running a plan's jobs, to compare schedules on one instance: each job has a
// fixed part before its transfer, the transfer, and a fixed part after (durations measured on
// solo runs, or modelled). With `shared` transfers a cluster's transfers queue one after another
// on its backends' workers (first come, first served, as the simulator and Doris do with one
// upload and one download worker per backend); otherwise each job moves as if alone. The rules
// are the scheduler's: dependencies, one job per database per cluster, `concurrency` per cluster.
// Which ready job goes first is the policy: ours (the real scheduler's ranking), FIFO, random,
// largest database first, or a fixed priority order (what the offline search varies).
import type { Plan, Step } from '../../src/plan/schema.js';
import { priorityOrder, remainingChain } from '../../src/run/priority.js';
import { initialState } from '../../src/run/state-model.js';

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
  const busyDb = new Set<string>();
  const slots: Record<Cluster, number> = { source: 0, target: 0 };
  const pipeFree: Record<Cluster, number> = { source: 0, target: 0 };
  // Pending events: a transfer asking for its turn, or a job ending.
  const events: { at: number; kind: 'book' | 'end'; job: ModelJob; seq: number }[] = [];
  let seq = 0;
  const rankOf = new Map((policy.order ?? inst.jobs.map((j) => j.id)).map((id, i) => [id, i]));
  // Jobs whose dependencies are done, kept in priority order (for a fixed order the first
  // eligible ones are the picks), and how many unfinished dependencies each other job waits on.
  const waiting = new Map(inst.jobs.map((j) => [j.id, j.after.length]));
  const dependents = new Map<string, ModelJob[]>();
  for (const j of inst.jobs) for (const a of j.after) dependents.set(a, [...(dependents.get(a) ?? []), j]);
  let released: ModelJob[] = inst.jobs.filter((j) => j.after.length === 0).sort((a, b) => rankOf.get(a.id)! - rankOf.get(b.id)!);
  const release = (j: ModelJob): void => {
    const at = rankOf.get(j.id)!;
    let i = released.length;
    while (i > 0 && rankOf.get(released[i - 1]!.id)! > at) i--;
    released.splice(i, 0, j);
  };
  const started: string[] = [];
  let left = inst.jobs.length;
  let now = 0;
  const eligible = (j: ModelJob): boolean => slots[j.cluster] < inst.concurrency[j.cluster] && !busyDb.has(`${j.cluster}\u0000${j.database}`);
  const startReady = (): void => {
    const ready = rank ? released.filter(eligible) : released;
    if (ready.length === 0) return;
    const picked = new Set<ModelJob>();
    for (const j of rank ? rank(ready, done, running) : ready) {
      if (slots.source >= inst.concurrency.source && slots.target >= inst.concurrency.target) break;
      if (!eligible(j)) continue;
      const key = `${j.cluster}\u0000${j.database}`;
      busyDb.add(key);
      slots[j.cluster]++;
      running.add(j.id);
      picked.add(j);
      left--;
      started.push(j.id);
      if (inst.shared) events.push({ at: now + j.pre, kind: 'book', job: j, seq: seq++ });
      else events.push({ at: now + solo(j), kind: 'end', job: j, seq: seq++ });
    }
    if (picked.size) released = released.filter((j) => !picked.has(j));
  };
  startReady();
  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const e = events.shift()!;
    now = e.at;
    if (e.kind === 'book') {
      const from = Math.max(now, pipeFree[e.job.cluster]);
      pipeFree[e.job.cluster] = from + e.job.transfer;
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
    busyDb.delete(`${e.job.cluster}\u0000${e.job.database}`);
    slots[e.job.cluster]--;
    // Jobs ending at the same instant all free their slots before the next pick.
    if (events.some((x) => x.at === now && x.kind === 'end')) continue;
    startReady();
  }
  if (left > 0) throw new Error(`model stuck with ${left} jobs left`);
  return { makespan: now, started };
}

/**
 * A lower bound for any schedule: the longest chain of solo durations; per database its backups
 * one at a time plus its shortest restore (or the reverse); per cluster its solo work over its
 * slots and, with shared transfers, its transfers one after another plus the shortest fixed part
 * before the first and after the last.
 */
export function lowerBound(inst: Instance): { bound: number; terms: Record<string, number> } {
  const byId = new Map(inst.jobs.map((j) => [j.id, j]));
  const memo = new Map<string, number>();
  const chain = (j: ModelJob): number => memo.get(j.id) ?? (memo.set(j.id, solo(j) + Math.max(0, ...j.after.map((a) => chain(byId.get(a)!)))), memo.get(j.id)!);
  const critical = Math.max(...inst.jobs.map(chain));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const min = (xs: number[]): number => (xs.length ? Math.min(...xs) : 0);
  const perDb = new Map<string, { backups: number[]; restores: number[] }>();
  for (const j of inst.jobs) {
    const e = perDb.get(j.database) ?? { backups: [], restores: [] };
    (j.cluster === 'source' ? e.backups : e.restores).push(solo(j));
    perDb.set(j.database, e);
  }
  let database = 0;
  for (const { backups, restores } of perDb.values()) database = Math.max(database, sum(backups) + min(restores), min(backups) + sum(restores));
  const of = (c: Cluster) => inst.jobs.filter((j) => j.cluster === c);
  const backups = of('source');
  const restores = of('target');
  let cluster = Math.max(sum(backups.map(solo)) / inst.concurrency.source + min(restores.map(solo)), min(backups.map(solo)) + sum(restores.map(solo)) / inst.concurrency.target);
  if (inst.shared) {
    const pipe = (js: ModelJob[]): number => min(js.map((j) => j.pre)) + sum(js.map((j) => j.transfer)) + min(js.map((j) => j.post));
    cluster = Math.max(cluster, pipe(backups) + min(restores.map(solo)), min(backups.map(solo)) + pipe(restores));
  }
  return { bound: Math.max(critical, database, cluster), terms: { critical, database, cluster } };
}

// ---- policies ----

/** In the order the jobs are listed (the plan's order). */
export const fifo: Policy = (inst) => {
  const index = new Map(inst.jobs.map((j, i) => [j.id, i]));
  return (ready) => [...ready].sort((a, b) => index.get(a.id)! - index.get(b.id)!);
};

/** Any ready job, at random (seeded, so a run is repeatable). */
export const randomPolicy = (seed: number): Policy => () => {
  const next = mulberry32(seed);
  return (ready) => ready.map((j) => ({ j, k: next() })).sort((a, b) => a.k - b.k).map((x) => x.j);
};

/** The database with the most bytes not yet moved first, its jobs in listed order. */
export const largestDatabaseFirst: Policy = (inst) => {
  const index = new Map(inst.jobs.map((j, i) => [j.id, i]));
  return (ready, done) => {
    const left = new Map<string, number>();
    for (const j of inst.jobs) if (!done.has(j.id)) left.set(j.database, (left.get(j.database) ?? 0) + j.bytes);
    return [...ready].sort((a, b) => left.get(b.database)! - left.get(a.database)! || index.get(a.id)! - index.get(b.id)!);
  };
};

/** A fixed priority order: earlier in `order` goes first. */
export const fixedOrder = (order: string[]): Policy =>
  Object.assign(() => {
    throw new Error('a fixed order is applied by simulate itself');
  }, { order });

/** The real scheduler's ranking (run/priority.ts) over the plan the jobs came from. */
export const ours = (plan: Plan): Policy => () => {
  const chain = remainingChain(plan);
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const state = initialState(plan, 'model');
  for (const s of plan.steps) if (s.kind !== 'backup' && s.kind !== 'restore') state.steps[s.id]!.status = 'done';
  return (ready, done, running) => {
    for (const s of plan.steps) if (s.kind === 'backup' || s.kind === 'restore') state.steps[s.id]!.status = done.has(s.id) ? 'done' : running.has(s.id) ? 'running' : 'pending';
    const order = priorityOrder(plan, state, chain);
    return [...ready].sort((a, b) => order(byId.get(a.id)!, byId.get(b.id)!));
  };
};

/**
 * The best schedule a search over priority orders finds: starts from the given orders (e.g. the
 * ones the policies above produced) and moves one job at a time to another place, keeping any
 * order that is no worse, for `evaluations` simulations. Deterministic for a seed.
 */
export function bestKnown(inst: Instance, seeds: string[][], evaluations: number, seed = 1): { makespan: number; order: string[] } {
  const next = mulberry32(seed);
  let best = { makespan: Infinity, order: seeds[0]! };
  for (const order of seeds) {
    const m = simulate(inst, fixedOrder(order)).makespan;
    if (m < best.makespan) best = { makespan: m, order };
  }
  for (let i = 0; i < evaluations; i++) {
    const order = [...best.order];
    const from = Math.floor(next() * order.length);
    // Mostly small moves (a job a few places earlier or later), sometimes far.
    const span = next() < 0.7 ? Math.max(1, Math.floor(order.length / 20)) : order.length;
    const to = Math.min(order.length - 1, Math.max(0, from + Math.round((next() * 2 - 1) * span)));
    const [moved] = order.splice(from, 1);
    order.splice(to, 0, moved!);
    const m = simulate(inst, fixedOrder(order)).makespan;
    if (m <= best.makespan) best = { makespan: m, order };
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

// ---- instances ----

type JobStep = Extract<Step, { kind: 'backup' | 'restore' }>;
const isJob = (s: Step): s is JobStep => s.kind === 'backup' || s.kind === 'restore';

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

/**
 * The competent runbook: per database one whole-database BACKUP then its RESTORE, `k` jobs per
 * cluster at a time, largest database first, each restore as soon as its backup ends. A whole
 * database's job pays the fixed per-job part once and the per-tablet parts and transfers of all
 * its batches (`fixed` is the per-job part: the shortest pre and post seen on that cluster).
 */
export function wholeDatabaseRunbook(inst: Instance): Instance {
  const fixed = (c: Cluster, key: 'pre' | 'post'): number => Math.min(...inst.jobs.filter((j) => j.cluster === c).map((j) => j[key]));
  const byDb = new Map<string, ModelJob[]>();
  for (const j of inst.jobs) byDb.set(`${j.cluster}\u0000${j.database}`, [...(byDb.get(`${j.cluster}\u0000${j.database}`) ?? []), j]);
  const jobs: ModelJob[] = [];
  for (const [key, js] of byDb) {
    const [cluster, database] = key.split('\u0000') as [Cluster, string];
    const merged = (k: 'pre' | 'post'): number => fixed(cluster, k) + js.reduce((t, j) => t + j[k] - fixed(cluster, k), 0);
    jobs.push({
      id: `${cluster === 'source' ? 'backup' : 'restore'}:${database}`, cluster, database, bytes: js.reduce((t, j) => t + j.bytes, 0),
      after: cluster === 'target' ? [`backup:${database}`] : [], pre: merged('pre'), transfer: js.reduce((t, j) => t + j.transfer, 0), post: merged('post'),
    });
  }
  return { jobs, concurrency: inst.concurrency, shared: inst.shared };
}

/** The serial runbook: every job of `inst` one after another (nothing overlaps, so nothing is shared). */
export const serialRunbook = (inst: Instance): number => inst.jobs.reduce((t, j) => t + solo(j), 0);
