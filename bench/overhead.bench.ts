// Overhead of apply itself: with jobs that finish almost at once (a very fast simulated clock),
// how many steps per second apply gets through on 1,000 tables in 100 databases, checkpointing
// included; and what resuming costs with a 10,000-step state file (load, validate, schedule).
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/doris/connection.js';
import { buildPlan } from '../src/plan/build-plan.js';
import type { Plan } from '../src/plan/schema.js';
import { fileCheckpoint, type CheckpointStore } from '../src/run/checkpoint.js';
import { applyPlan } from '../src/run/executor.js';
import { initialState, type RunState } from '../src/run/state-model.js';
import { settingsFromLocation } from '../src/storage/location.js';
import { aCatalog, targetFacts } from '../test/support/catalog-builder.js';
import { benchMigration } from './support/migration.js';

/** A checkpoint store that also times its writes (the real file store underneath). */
function timedStore(inner: CheckpointStore): CheckpointStore & { writes: number; ms: number } {
  const out = {
    path: inner.path,
    writes: 0,
    ms: 0,
    load: () => inner.load(),
    save(state: RunState) {
      const t0 = performance.now();
      inner.save(state);
      out.ms += performance.now() - t0;
      out.writes++;
    },
  };
  return out;
}

/** `databases` x `tables` tables of 1 MiB, one job each (the batch budget is one table). */
function manyTablesSql(databases: number, tables: number): string {
  const parts: string[] = [];
  for (let d = 0; d < databases; d++) {
    parts.push(`CREATE DATABASE d${d};`);
    for (let t = 0; t < tables; t++) parts.push(`CREATE TABLE d${d}.t${t} (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "1048576");`);
  }
  return parts.join('\n');
}

/** Real seconds apply runs before it is stopped (BENCH_OVERHEAD_SECONDS). */
const WINDOW_S = Number(process.env.BENCH_OVERHEAD_SECONDS ?? 60);

async function stepsPerSecond() {
  // 10,000 simulated seconds per real second: a job's states take the runner's 10 ms ticks.
  const scale = 10_000;
  const m = await benchMigration({ seedSql: manyTablesSql(100, 10), timeScale: scale, concurrency: 10, batchSize: '1MiB', planFlags: ['--job-timeout', '8640000'], repository: 'hdfs' });
  try {
    const store = timedStore(fileCheckpoint(join(m.dir, 'plans', 'bench.state.json')));
    // The run is stopped (as Ctrl-C stops it) after a fixed time: the rate over that window.
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => controller.abort(), WINDOW_S * 1000);
    const t0 = performance.now();
    // Polls every 100 real ms: faster polling of ten jobs per cluster only queues statements at
    // the simulated FE (one event loop, shared with the runners and with apply itself).
    const { result, state } = await m.apply({ pollIntervalMs: 100 * scale, checkpoint: store, signal: controller.signal });
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;
    const failed = Object.entries(state.steps).filter(([, s]) => s.status === 'failed');
    if (failed.length) throw new Error(`apply ended ${result}: ${failed.slice(0, 3).map(([id, s]) => `${id}: ${s.lastError}`).join('; ')}`);
    const done = Object.values(state.steps).filter((s) => s.status === 'done').length;
    return { steps: m.plan.steps.length, done, seconds, writes: store.writes, checkpointSeconds: store.ms / 1000, stateKiB: statSync(store.path).size / 1024 };
  } finally {
    await m.dispose();
  }
}

/** A plan of 100 databases x 50 single-job tables: 10,104 steps. */
function bigPlan(): Plan {
  const builder = aCatalog();
  for (let d = 0; d < 100; d++) builder.withDb(`d${String(d).padStart(3, '0')}`, { tables: 50, bytesEach: 1000 });
  return buildPlan({
    name: 'big', now: '2026-11-24T00:00:00.000Z',
    source: { catalog: builder.build(), ref: { host: '127.0.0.1', port: 1, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: '127.0.0.1', port: 1, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'r', settings: settingsFromLocation('s3://bucket1/x', { s3Endpoint: 'http://127.0.0.1:1' }) },
    options: { labelPrefix: 'big', concurrency: { source: 4, target: 4 }, batchBytes: 1000, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });
}

/** Every step done, as a finished run leaves it (labels, job ids, timestamps, one history entry each). */
function finishedState(plan: Plan): RunState {
  const state = initialState(plan, '2026-11-24T00:00:00.000Z');
  let jobId = 10_000;
  for (const s of plan.steps) {
    const st = state.steps[s.id]!;
    st.status = 'done';
    st.startedAt = '2026-11-24T01:00:00.000Z';
    st.finishedAt = '2026-11-24T02:00:00.000Z';
    if (s.kind === 'backup' || s.kind === 'restore') {
      st.attempt = 1;
      st.label = `${s.kind === 'backup' ? s.label : s.backupStep}_a1`;
      st.jobId = String(jobId++);
      st.dorisState = 'FINISHED';
      st.backupTimestamp = '2026-11-24-01-00-00';
      st.history = [{ attempt: 1, label: st.label, outcome: 'finished', at: st.finishedAt }];
    }
  }
  return state;
}

async function resume() {
  const plan = bigPlan();
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-resume-'));
  try {
    const store = fileCheckpoint(join(dir, 'big.state.json'));
    const finished = finishedState(plan);
    const t0 = performance.now();
    store.save(finished);
    const writeMs = performance.now() - t0;
    const t1 = performance.now();
    const loaded = store.load()!;
    const loadMs = performance.now() - t1;
    // Nothing is left to run, so no statement is sent: the clients are never connected.
    const client = () => connect({ host: '127.0.0.1', port: 1, user: 'root', password: '' });
    const [source, target] = [client(), client()];
    const t2 = performance.now();
    const { result } = await applyPlan(plan, {
      source, target, secrets: {}, checkpoint: store, emit: () => undefined, signal: new AbortController().signal,
      now: () => new Date(), sleep: () => Promise.resolve(), pollIntervalMs: 10_000,
    }, loaded);
    const applyMs = performance.now() - t2;
    await Promise.all([source.close(), target.close()]);
    if (result !== 'done') throw new Error(`resume ended ${result}`);
    return { steps: plan.steps.length, writeMs, loadMs, applyMs, stateKiB: statSync(store.path).size / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


export async function run(): Promise<Record<string, string | number>> {
  const a = await stepsPerSecond();
  const r = await resume();
  return {
    'apply: workload': `1,000 tables in 100 databases (${a.steps} steps), 10 jobs per cluster at a time, jobs of ~100 ms, stopped after ${WINDOW_S} s`,
    'apply: steps done': a.done,
    'apply: steps per second': Number((a.done / a.seconds).toFixed(1)),
    'apply: checkpoint writes': a.writes,
    'apply: time in checkpoint writes (s)': Number(a.checkpointSeconds.toFixed(1)),
    'apply: state file (KiB)': Math.round(a.stateKiB),
    'resume: state file (steps / KiB)': `${r.steps} / ${Math.round(r.stateKiB)}`,
    'resume: one checkpoint write (ms)': Math.round(r.writeMs),
    'resume: load and validate (ms)': Math.round(r.loadMs),
    'resume: reconcile and schedule (ms)': Math.round(r.applyMs),
    'resume: load + schedule, 10,000 steps (s)': Number(((r.loadMs + r.applyMs) / 1000).toFixed(2)),
  };
}
