// Overhead of apply itself, against an in-process fake FE whose jobs finish at once (no simulator,
// no network): steps per second and bytes written to the state (snapshot + journal) at about
// 2,000 and 10,000 steps; and resuming a half-done 10,000-step state with jobs in flight, from
// reading the state to the first new BACKUP/RESTORE submission. Then apply again with the run's
// record copied to a repository (a local directory): bytes uploaded, per transition (one save).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../src/plan/build-plan.js';
import type { Plan } from '../src/plan/schema.js';
import { fileCheckpoint } from '../src/run/checkpoint.js';
import type { RunDeps } from '../src/run/executor.js';
import { applyPlan } from '../src/run/executor.js';
import { journalStore } from '../src/run/journal.js';
import { mirroredCheckpoint, recordName } from '../src/run/state-mirror.js';
import { runRecordStore } from '../src/storage/backend.js';
import { initialState, type RunState } from '../src/run/state-model.js';
import { settingsFromLocation } from '../src/storage/location.js';
import { aCatalog, targetFacts } from '../test/support/catalog-builder.js';
import { dirStore } from './support/dir-store.js';
import { fakeFe, fakeRepository, type FakeFe } from './support/fake-fe.js';

const CONCURRENCY = 4;

/** 100 databases of `tables` single-job tables (one backup and one restore each), without the verify step. */
function planOf(tables: number): Plan {
  const builder = aCatalog();
  for (let d = 0; d < 100; d++) builder.withDb(`d${String(d).padStart(3, '0')}`, { tables, bytesEach: 1000 });
  const plan = buildPlan({
    name: 'big', now: '2026-11-24T00:00:00.000Z',
    source: { catalog: builder.build(), ref: { host: '127.0.0.1', port: 1, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: '127.0.0.1', port: 1, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'r', settings: settingsFromLocation('s3://bucket1/x', { s3Endpoint: 'http://127.0.0.1:1' }) },
    options: { labelPrefix: 'big', concurrency: { source: CONCURRENCY, target: CONCURRENCY }, batchBytes: 1000, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });
  // Verification and the drift check read both catalogs, which the fake FE does not hold: they
  // are not apply's own overhead (no planning record: no drift check).
  const { read: _read, ...rest } = plan;
  return { ...rest, steps: plan.steps.filter((s) => s.kind !== 'verify') };
}

function deps(plan: Plan, statePath: string, signal = new AbortController().signal): RunDeps & { source: FakeFe; target: FakeFe } {
  return {
    source: fakeFe(plan.source.version, plan.repository.name),
    target: fakeFe(plan.target.version, plan.repository.name),
    repository: fakeRepository(plan.repository.settings.location),
    secrets: {},
    checkpoint: fileCheckpoint(statePath),
    emit: () => undefined,
    signal,
    now: () => new Date(),
    sleep: (ms, s) => new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      s.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    }),
    pollIntervalMs: 10_000,
  };
}

/** With `withRecord`, the state is also copied to the run's record in a repository (a local directory). */
async function applyAlone(tables: number, withRecord = false) {
  const plan = planOf(tables);
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-apply-'));
  try {
    const path = join(dir, 'big.state.json');
    const d = deps(plan, path);
    const store = journalStore(path);
    const objects = dirStore(join(dir, 'repository'));
    const checkpoint = withRecord ? mirroredCheckpoint(store, runRecordStore(objects, 'bench'), recordName(plan), 'bench') : store;
    const t0 = performance.now();
    const { result, state } = await applyPlan(plan, { ...d, checkpoint });
    const seconds = (performance.now() - t0) / 1000;
    const failed = Object.entries(state.steps).filter(([, s]) => s.status === 'failed');
    if (result !== 'done') throw new Error(`apply ended ${result}: ${failed.slice(0, 2).map(([id, s]) => `${id}: ${s.lastError}`).join('; ')}`);
    return { steps: plan.steps.length, seconds, bytes: store.counters.bytesWritten, appends: store.counters.appends, compactions: store.counters.compactions, recordBytes: objects.counters.bytesPut, recordPuts: objects.counters.puts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Half the databases done, the next ones' jobs in flight (two backups and two restores running
 * on the clusters), the rest pending; written as a run leaves it: a snapshot and a journal.
 */
function halfDone(plan: Plan, path: string, source: FakeFe, target: FakeFe): void {
  const state: RunState = initialState(plan, '2026-11-24T00:00:00.000Z');
  const store = journalStore(path);
  store.save(state);
  const databases = [...new Set(plan.steps.flatMap((s) => (s.kind === 'backup' ? [s.database] : [])))];
  const done = new Set(databases.slice(0, databases.length / 2));
  const [flyingBackups, flyingRestores] = [new Set(databases.slice(databases.length / 2 + 2, databases.length / 2 + 4)), new Set(databases.slice(databases.length / 2, databases.length / 2 + 2))];
  let jobId = 10_000;
  const changed: string[] = [];
  for (const s of plan.steps) {
    const st = state.steps[s.id]!;
    const db = s.kind === 'backup' ? s.database : s.kind === 'restore' ? s.sourceDatabase : undefined;
    if (s.kind !== 'backup' && s.kind !== 'restore') st.status = 'done';
    else if (done.has(db!) || (s.kind === 'backup' && flyingRestores.has(db!))) {
      Object.assign(st, { status: 'done', attempt: 1, label: s.kind === 'backup' ? `${s.label}_a1` : state.steps[s.backupStep]!.label, jobId: String(jobId++), dorisState: 'FINISHED', backupTimestamp: '2026-11-24-01-00-00', startedAt: '2026-11-24T01:00:00.000Z', finishedAt: '2026-11-24T02:00:00.000Z' });
      st.history = [{ attempt: 1, label: st.label!, outcome: 'finished', at: st.finishedAt! }];
    } else continue;
    changed.push(s.id);
  }
  // The in-flight ones: the first backup of each of two databases and the first restore of two others.
  for (const s of plan.steps) {
    if ((s.kind === 'backup' && flyingBackups.has(s.database) && s.id.endsWith(':1')) || (s.kind === 'restore' && flyingRestores.has(s.sourceDatabase) && s.id.endsWith(':1'))) {
      const label = s.kind === 'backup' ? `${s.label}_a1` : state.steps[s.backupStep]!.label!;
      Object.assign(state.steps[s.id]!, { status: 'running', attempt: 1, label, jobId: String(jobId), dorisState: s.kind === 'backup' ? 'UPLOADING' : 'DOWNLOADING', startedAt: '2026-11-24T03:00:00.000Z', ...(s.kind === 'restore' ? { backupTimestamp: '2026-11-24-01-00-00', priorJobKeys: [] } : {}) });
      (s.kind === 'backup' ? source : target).jobs.set(`${s.database}/${label}`, [{ jobId: jobId++, label, database: s.database, state: s.kind === 'backup' ? 'UPLOADING' : 'DOWNLOADING' }]);
      changed.push(s.id);
    }
  }
  // As a run writes it: one line per transition (three per finished job), compacted on the way.
  for (let i = 0; i < 3; i++) for (let k = 0; k < changed.length; k += 8) store.save(state, changed.slice(k, k + 8));
}

async function resume() {
  const plan = planOf(50);
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-resume-'));
  try {
    const path = join(dir, 'big.state.json');
    const controller = new AbortController();
    const d = deps(plan, path, controller.signal);
    halfDone(plan, path, d.source, d.target);
    let submitted = 0;
    const first = new Promise<void>((resolve) => {
      d.source.onSubmit = d.target.onSubmit = () => {
        submitted++;
        resolve();
      };
    });
    const t0 = performance.now();
    const run = applyPlan(plan, { ...d, checkpoint: fileCheckpoint(path) });
    await first;
    const seconds = (performance.now() - t0) / 1000;
    controller.abort();
    const { result } = await run;
    if (result !== 'interrupted' || submitted === 0) throw new Error(`resume ended ${result} after ${submitted} submission(s)`);
    return { steps: plan.steps.length, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MiB = 1024 * 1024;

export async function run(): Promise<Record<string, string | number>> {
  const small = await applyAlone(10);
  const large = await applyAlone(50);
  const r = await resume();
  const [smallRecord, largeRecord] = [await applyAlone(10, true), await applyAlone(50, true)];
  // A transition here is one save (the transitions of one event-loop turn share it): one journal append.
  const perSave = (a: typeof smallRecord) => Math.round(a.recordBytes / (a.appends + a.compactions));
  return {
    'apply alone: workload': `100 databases of 10 or 50 one-job tables, ${CONCURRENCY} jobs per cluster, fake FE (jobs finish at once), state as snapshot + journal`,
    'apply alone: steps': `${small.steps} / ${large.steps}`,
    'apply alone: steps per second at 2,000 steps': Math.round(small.steps / small.seconds),
    'apply alone: steps per second at 10,000 steps': Math.round(large.steps / large.seconds),
    'apply alone: state bytes written at 2,000 steps (MiB)': Number((small.bytes / MiB).toFixed(1)),
    'apply alone: state bytes written at 10,000 steps (MiB)': Number((large.bytes / MiB).toFixed(1)),
    'apply alone: state bytes per step at 2,000 / 10,000 steps': `${Math.round(small.bytes / small.steps)} / ${Math.round(large.bytes / large.steps)}`,
    'apply alone: journal appends / compactions at 10,000 steps': `${large.appends} / ${large.compactions}`,
    'resume to first submission, 10,000 steps (s)': Number(r.seconds.toFixed(2)),
    'apply alone: record bytes uploaded at 2,000 / 10,000 steps (MiB)': `${(smallRecord.recordBytes / MiB).toFixed(1)} / ${(largeRecord.recordBytes / MiB).toFixed(1)}`,
    'apply alone: record bytes per transition at 2,000 / 10,000 steps': `${perSave(smallRecord)} / ${perSave(largeRecord)}`,
    'apply alone: record objects written at 10,000 steps': largeRecord.recordPuts,
    'apply alone: steps per second at 10,000 steps, with the record in a repository (local directory)': Math.round(largeRecord.steps / largeRecord.seconds),
  };
}
