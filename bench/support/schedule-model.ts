// What the benchmarks add to the run's schedule model (src/run/schedule-model.ts): a lower bound
// for any schedule, the best-known schedule (the search over orders, on measured durations), the
// other policies (FIFO, random, largest database first, our ranking) and the runbooks a person
// could follow.
import { fixedOrder, mulberry32, ranking, searchOrder, simulate, solo, type Instance, type ModelJob, type Policy } from '../../src/run/schedule-model.js';

export { instanceOf, simulate, type Instance } from '../../src/run/schedule-model.js';

type Cluster = 'source' | 'target';

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


/** The real scheduler's ranking (run/priority.ts) over the plan the jobs came from. */
export const ours = ranking;

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

/** The order with the shortest makespan on `inst` that the search finds. */
export function bestKnown(inst: Instance, seeds: string[][], evaluations: number, seed = 1): { makespan: number; order: string[] } {
  const found = searchOrder((order) => simulate(inst, fixedOrder(order)).makespan, seeds, evaluations, seed);
  return { makespan: found.cost, order: found.order };
}
