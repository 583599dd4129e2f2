// Makespan: a skewed workload (30 databases from 1 GiB to 5 TiB, four tables of eight partitions
// each, cut into 512 GiB jobs) planned by `plan` and run by applyPlan against two simulators in
// scaled time. The total simulated time is compared with the lower bound for the job durations
// the simulators actually produced, and with the hand-run runbook for the same durations.
// Sizes are declared (`sim.data_bytes`), so nothing near 5 TiB is written anywhere.
import { benchMigration, realMs } from './support/migration.js';
import { lowerBound, runbook } from './support/bounds.js';
import type { Targets } from './targets.js';

const GiB = 1024 ** 3;

const BATCH = 512 * GiB;

/**
 * `databases` databases whose sizes grow geometrically from 1 GiB to 5 TiB, four tables each.
 * Tables bigger than a job are range-partitioned in eight, so the plan splits them over several
 * jobs; the others have one partition, which keeps the files the simulator writes (and the real
 * time that costs, multiplied by the time scale) small.
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
          `DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${bytes}");`,
      );
    }
  }
  return parts.join('\n');
}

const hours = (ms: number): number => Number((ms / 3_600_000).toFixed(2));

async function measure(concurrency: number) {
  // Simulated seconds per real second. Real time the simulators and apply spend (statements, object
  // store calls, checkpoints) is multiplied by it, so it stays modest.
  const m = await benchMigration({ seedSql: skewedSeedSql(), timeScale: Number(process.env.BENCH_MAKESPAN_SCALE ?? 300), concurrency, batchSize: '512GiB' });
  try {
    const start = m.simNow();
    const { result, state, events } = await m.apply();
    if (result !== 'done') throw new Error(`apply ended ${result}: ${events.filter((x) => x.e.kind === 'step-failed').map((x) => JSON.stringify(x.e)).join('; ')}`);
    const jobSteps = m.plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore');
    const jobs = m.jobs().filter((j) => j.state === 'FINISHED');
    const durations = new Map<string, number>();
    for (const s of jobSteps) {
      const label = state.steps[s.id]!.label!;
      const job = jobs.find((j) => j.cluster === (s.kind === 'backup' ? 'source' : 'target') && j.label === label && j.db === s.database);
      if (!job) throw new Error(`no finished job for ${s.id} (${label})`);
      durations.set(s.id, job.end - job.start);
    }
    const duration = (id: string): number => durations.get(id)!;
    if (process.env.BENCH_DEBUG) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.BENCH_DEBUG, JSON.stringify({ realMs: Object.fromEntries(realMs), start, jobs, events: events.map((x) => ({ at: x.at, kind: x.e.kind, step: 'step' in x.e ? x.e.step : '' })).filter((x) => x.kind !== 'job-state') }));
    }
    const jobIds = new Set(jobSteps.map((s) => s.id));
    const lastJob = Math.max(...events.filter((x) => x.e.kind === 'step-finished' && jobIds.has(x.e.step)).map((x) => x.at));
    const makespan = lastJob - start;
    const total = events.at(-1)!.at - start;
    const { bound, terms } = lowerBound(m.plan, duration);
    const serial = runbook(m.plan, duration);
    return { makespan, total, bound, terms, serial, jobs: jobSteps.length, databases: m.plan.databases.length };
  } finally {
    await m.dispose();
  }
}

export const targets: Targets = {
  'makespan / lower bound': { text: '<= 1.10', met: (v) => v <= 1.1 },
};

export async function run(): Promise<Record<string, string | number>> {
  const r = await measure(2);
  return {
    workload: `${r.databases} databases, 1 GiB to 5 TiB, ${r.jobs} jobs, concurrency 2`,
    'makespan, jobs (simulated h)': hours(r.makespan),
    'apply total incl. preflight, verify (h)': hours(r.total),
    'lower bound (simulated h)': hours(r.bound),
    'bound terms: chain / database / cluster (h)': `${hours(r.terms.critical!)} / ${hours(r.terms.database!)} / ${hours(r.terms.cluster!)}`,
    'runbook, one job at a time (simulated h)': hours(r.serial),
    'makespan / lower bound': Number((r.makespan / r.bound).toFixed(3)),
    'runbook / makespan (speed-up)': Number((r.serial / r.makespan).toFixed(2)),
  };
}
