// Makespan: a skewed workload (30 databases from 1 GiB to 5 TiB, four tables each, 512 GiB jobs,
// concurrency 4) planned by `plan` and run by applyPlan against two simulators in scaled time,
// once with Doris's resource model (one upload and one download worker per backend, shared by
// the cluster's jobs) and once with independent transfers. Each run's makespan is compared with
// what the same jobs allow, from their solo durations (each job's measured time minus what it
// waited behind other jobs' transfers): the lower bound, the best schedule an offline search
// over priority orders finds, other policies in the same model (FIFO, random, largest database
// first), and two runbooks a person could follow. Our ranking is the plan's: the job order `plan`
// searched on its own duration model (when transfers queue), else the formula. A sweep over
// concurrency and batch size then compares it with the search in the model alone. Sizes are declared
// (`sim.data_bytes`): nothing near 5 TiB is written anywhere.
import { benchMigration } from './support/migration.js';
import { bestKnown, fifo, instanceOf, largestDatabaseFirst, lowerBound, ours, randomPolicy, serialRunbook, simulate, wholeDatabaseRunbook, type Instance } from './support/schedule-model.js';
import { skewedPlan } from '../test/support/skewed-plan.js';
import { withJobOrder } from '../src/run/job-order.js';
import type { Plan } from '../src/plan/schema.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const BATCH = 512 * GiB;
const CONCURRENCY = 4;
/** Bytes per simulated second one backend worker moves (three backends per cluster). */
const SPEED = 400 * MiB;
/** Simulated seconds per real second; the real time apply and the simulators spend is multiplied by it. */
const SCALE = Number(process.env.BENCH_MAKESPAN_SCALE ?? 300);

/**
 * `databases` databases whose sizes grow geometrically from 1 GiB to 5 TiB, four tables each of
 * 16 buckets. Tables bigger than a job are range-partitioned in eight, so the plan splits them
 * over several jobs; the others have one partition, which keeps the files the simulator writes
 * (and the real time that costs, multiplied by the time scale) small.
 */
export function skewedSeedSql(databases = 30): string {
  const parts: string[] = [];
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => `PARTITION p${i} VALUES LESS THAN ("${(i + 1) * 1000}")`).join(', ');
  for (let i = 0; i < databases; i++) {
    const total = Math.round(GiB * Math.pow(5 * 1024, i / (databases - 1)));
    const db = `db${String(i).padStart(2, '0')}`;
    parts.push(`CREATE DATABASE ${db};`);
    for (let t = 0; t < 4; t++) {
      const bytes = Math.floor(total / 4);
      parts.push(
        `CREATE TABLE ${db}.t${t} (id INT NOT NULL, v VARCHAR(32)) DUPLICATE KEY(id) PARTITION BY RANGE(id) (${ranges(bytes > BATCH ? 8 : 1)}) ` +
          `DISTRIBUTED BY HASH(id) BUCKETS 16 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${bytes}");`,
      );
    }
  }
  return parts.join('\n');
}

interface Timing {
  pre: number;
  transfer: number;
  post: number;
  waited: number;
}

/** One real run: apply's makespan and each job's measured parts. */
async function realRun(shared: boolean): Promise<{ plan: Plan; makespan: number; timing: Map<string, Timing>; reaction: number; overrun: number; noticed: number; submitted: number }> {
  const m = await benchMigration({
    seedSql: skewedSeedSql(), timeScale: SCALE, speedBytesPerSecond: SPEED, concurrency: CONCURRENCY, batchSize: `${BATCH / GiB}GiB`,
    resources: { transfers: shared ? 'shared' : 'independent' },
    // The plan is told the clusters' transfer workers, as a user would: one per backend (Doris's
    // default) when transfers are shared, one per job when they are independent.
    planFlags: ['--transfer-workers', shared ? '1' : String(CONCURRENCY)],
    // A local directory as the repository: s3rver's real milliseconds would count 600 times over.
    repository: 'hdfs',
  });
  try {
    const start = m.simNow();
    // --poll-interval 10: this bench measures the ranking and apply's loop; fe-load measures the
    // watcher with its default bound (here the default gave 1.22 x the model, 10 s 1.02-1.12).
    const { result, state, events } = await m.apply({ pollIntervalMs: 10_000 });
    if (result !== 'done') throw new Error(`apply ended ${result}: ${events.filter((x) => x.e.kind === 'step-failed').map((x) => JSON.stringify(x.e)).join('; ')}`);
    const jobSteps = m.plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore');
    const jobs = m.jobs().filter((j) => j.state === 'FINISHED');
    const timing = new Map<string, Timing>();
    for (const s of jobSteps) {
      const label = state.steps[s.id]!.label!;
      const job = jobs.find((j) => j.cluster === s.cluster && j.label === label && j.db === s.database);
      if (!job?.moved) throw new Error(`no finished job with a transfer for ${s.id} (${label})`);
      timing.set(s.id, { pre: job.moved.bookedAt - job.start, transfer: job.moved.end - job.moved.start, post: job.end - job.moved.end, waited: job.moved.start - job.moved.bookedAt });
    }
    const jobIds = new Set(jobSteps.map((s) => s.id));
    const lastJob = Math.max(...events.filter((x) => x.e.kind === 'step-finished' && jobIds.has(x.e.step)).map((x) => x.at));
    // How long a freed slot stays empty: from each job's end to the next submission on its
    // cluster (while jobs are still to come), in simulated time.
    const gaps: number[] = [];
    for (const cluster of ['source', 'target'] as const) {
      const mine = jobs.filter((j) => j.cluster === cluster);
      for (const j of mine) {
        const next = Math.min(...mine.filter((x) => x.start >= j.end).map((x) => x.start));
        if (Number.isFinite(next)) gaps.push(next - j.end);
      }
    }
    // Where a reaction goes: a job's end to apply reporting its step finished (the watcher, then
    // reading the snapshot and saving the state), and a job's intent (the step-started event) to
    // its job appearing on the cluster (reads before it, the durable intent, the statement).
    const stepById = new Map(jobSteps.map((s) => [s.id, s]));
    const jobOf = (id: string) => {
      const s = stepById.get(id)!;
      return jobs.find((j) => j.cluster === s.cluster && j.label === state.steps[id]!.label && j.db === s.database)!;
    };
    const noticed = events.flatMap(({ at, e }) => (e.kind === 'step-finished' && stepById.has(e.step) ? [at - jobOf(e.step).end] : []));
    const submitted = events.flatMap(({ at, e }) => (e.kind === 'step-started' && stepById.has(e.step) && !e.adopted ? [jobOf(e.step).start - at] : []));
    return { plan: m.plan, makespan: lastJob - start, timing, reaction: median(gaps), overrun: median(m.sleepOverruns()), noticed: median(noticed), submitted: median(submitted) };
  } finally {
    await m.dispose();
  }
}

/** Model makespans of every policy on one instance, and the best any of them or the search found. */
function compare(plan: Plan, inst: Instance, evaluations: number) {
  const our = simulate(inst, ours(plan));
  const ldf = simulate(inst, largestDatabaseFirst);
  const first = simulate(inst, fifo);
  const randoms = [1, 2, 3].map((s) => simulate(inst, randomPolicy(s)).makespan);
  const search = bestKnown(inst, [our.started, ldf.started, first.started], evaluations);
  const best = Math.min(search.makespan, our.makespan, ldf.makespan, first.makespan, ...randoms);
  return { ours: our.makespan, ldf: ldf.makespan, fifo: first.makespan, random: randoms.reduce((a, b) => a + b, 0) / randoms.length, best, bound: lowerBound(inst) };
}

const h = (ms: number): number => Number((ms / 3_600_000).toFixed(2));
const r3 = (x: number): number => Number(x.toFixed(3));
const r2 = (x: number): number => Number(x.toFixed(2));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Figures of one real run against its model. */
function report(run: Awaited<ReturnType<typeof realRun>>, shared: boolean, suffix: string): { figures: Record<string, string | number>; model: (s: { cluster: string; bytes: number }) => { pre: number; transfer: number; post: number } } {
  const inst = instanceOf(run.plan, (s) => run.timing.get(s.id)!, shared);
  const c = compare(run.plan, inst, 3000);
  const runbook = wholeDatabaseRunbook(inst);
  const pipelined = simulate(runbook, largestDatabaseFirst).makespan;
  const serial = serialRunbook(runbook);
  const waited = [...run.timing.values()].reduce((t, x) => t + x.waited, 0);
  const reachable = c.best <= c.bound.bound * 1.001 ? 'reached by the best-known schedule' : `not reached by any schedule found (best-known is ${r3(c.best / c.bound.bound)} x the bound)`;
  const figures: Record<string, string | number> = {
    [`job order of the plan${suffix}`]: run.plan.schedule ? `searched by plan (${run.plan.schedule.gain} x shorter than the formula in its planning model)` : 'the ranking formula (plan searches none when transfers never queue)',
    [`makespan, jobs (simulated h)${suffix}`]: h(run.makespan),
    [`solo durations: lower bound (h)${suffix}`]: `${h(c.bound.bound)}; chain / database / cluster ${h(c.bound.terms.critical!)} / ${h(c.bound.terms.database!)} / ${h(c.bound.terms.cluster!)}; ${reachable}`,
    [`model makespan (h): ours / largest-db-first / FIFO / random / best-known${suffix}`]: `${h(c.ours)} / ${h(c.ldf)} / ${h(c.fifo)} / ${h(c.random)} / ${h(c.best)}`,
    [`time jobs waited for a transfer worker (job-h)${suffix}`]: h(waited),
    [`apply's own share: makespan / model makespan of our ranking${suffix}`]: r3(run.makespan / c.ours),
    [`median time from a job's end to the next submission on its cluster (simulated s)${suffix}`]: Math.round(run.reaction / 1000),
    [`median from a job's end to apply reporting its step finished / from a job's intent to the job on the cluster (simulated s)${suffix}`]: `${Math.round(run.noticed / 1000)} / ${Math.round(run.submitted / 1000)}`,
    // Real ms of apply and the simulators count SCALE times: a loaded machine's late timers too.
    [`median overrun of apply's sleeps (simulated s; 1 real ms = ${SCALE / 1000} simulated s)${suffix}`]: Math.round(run.overrun / 1000),
    [`makespan / best-known${suffix}`]: r3(run.makespan / c.best),
    [`makespan / lower bound${suffix}`]: r3(run.makespan / c.bound.bound),
    [`runbooks (h): serial / ${CONCURRENCY} pipelined loops, whole databases, largest first${suffix}`]: `${h(serial)} / ${h(pipelined)}`,
    [`speed-up over pipelined runbook${suffix}`]: r2(pipelined / run.makespan),
    [`speed-up over serial runbook${suffix}`]: r2(serial / run.makespan),
    [`speed-up of our ranking over the pipelined runbook, both in the model (no orchestration delay)${suffix}`]: r2(pipelined / c.ours),
    // Every schedule of these jobs takes at least the lower bound, so no scheduler can beat the
    // runbook by more than this (the best one found by more than the next figure).
    [`most any schedule could gain over the pipelined runbook: runbook / lower bound${suffix}`]: r2(pipelined / c.bound.bound),
    [`speed-up of the best-known schedule over the pipelined runbook, in the model${suffix}`]: r2(pipelined / c.best),
  };
  // Durations for the sweep: the measured fixed parts per cluster, transfers at the measured rate.
  const per = (cluster: string) => {
    const ts = [...run.plan.steps].filter((s) => (s.kind === 'backup' || s.kind === 'restore') && s.cluster === cluster).map((s) => ({ s, t: run.timing.get(s.id)! }));
    const rate = median(ts.filter((x) => x.s.kind !== 'backup' || x.s.bytes > GiB).map((x) => x.t.transfer / Math.max(1, (x.s as { bytes: number }).bytes)));
    return { pre: median(ts.map((x) => x.t.pre)), post: median(ts.map((x) => x.t.post)), rate };
  };
  const src = per('source');
  const dst = per('target');
  const sec = (ms: number): number => Math.round(ms / 1000);
  figures[`median fixed parts of a job, before / after its transfer (simulated s): backup, restore${suffix}`] = `${sec(src.pre)} / ${sec(src.post)}, ${sec(dst.pre)} / ${sec(dst.post)}`;
  return { figures, model: (s) => { const p = s.cluster === 'source' ? src : dst; return { pre: p.pre, transfer: s.bytes * p.rate, post: p.post }; } };
}

export async function run(): Promise<Record<string, string | number>> {
  const shared = await realRun(true);
  const independent = await realRun(false);
  const a = report(shared, true, '');
  const b = report(independent, false, ' (independent transfers)');
  const jobs = shared.plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').length;
  const out: Record<string, string | number> = {
    workload: `30 databases, 1 GiB to 5 TiB, 512 GiB batches (${jobs} jobs), concurrency ${CONCURRENCY}, 3 backends per cluster at ${SPEED / MiB} MiB/s per worker, one upload and one download worker each; speed-ups are over runbooks with the same transfers`,
    ...a.figures,
    ...b.figures,
  };
  // The sweep, in the model: our ranking against the search on each instance.
  let worst = 0;
  for (const sharedTransfers of [true, false]) {
    for (const concurrency of [1, 2, 4, 8]) {
      const cells: string[] = [];
      for (const batch of [128, 512, 1024]) {
        const unordered = skewedPlan({ concurrency, batchBytes: batch * GiB });
        // The plan as `plan` makes it for these clusters: its job order searched when transfers queue.
        const plan = withJobOrder({ ...unordered, options: { ...unordered.options, transferWorkers: sharedTransfers ? 1 : concurrency } });
        const inst = instanceOf(plan, (s) => (sharedTransfers ? a : b).model(s), sharedTransfers);
        const c = compare(plan, inst, 300);
        worst = Math.max(worst, c.ours / c.best);
        cells.push(r3(c.ours / c.best).toFixed(3));
      }
      out[`sweep, ${sharedTransfers ? 'shared' : 'independent'} transfers, concurrency ${concurrency}: ours / best-known at 128 GiB, 512 GiB, 1 TiB`] = cells.join(', ');
    }
  }
  out['worst makespan / best-known over the sweep'] = r3(worst);
  return out;
}
