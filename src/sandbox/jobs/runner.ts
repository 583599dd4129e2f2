// Moves jobs through their states on the simulator's clock: one state per scheduler tick (3
// simulated seconds), transfers lasting bytes / (speed x alive backends). Failures become
// CANCELLED with a Status text, as Doris reports asynchronous errors.
import type { Engine } from '../engine.js';
import { jobsState, isDone, type BackupJob, type Job, type RestoreJob } from './model.js';
import type { ObjStore } from './objstore.js';
import { captureSnapshot, writeSnapshotData, writeSnapshotInfo } from './backup.js';
import { commitRestore, selectRestoreSet, validateRestore } from './restore.js';
import { downloadRows, readMeta, type SnapshotMeta } from './snapshot-files.js';
import { atLeast } from '../version.js';

/** Doris's backup handler interval (backup_handler_update_interval_millis). */
export const TICK_MS = 3000;

export interface RunnerDeps {
  sim: Engine;
  store: (repo: string) => Promise<ObjStore>;
  /** Bytes per simulated second per alive backend. */
  speed: number;
}

/** Snapshots captured by running backups and read by running restores (rebuilt after a restart). */
const captured = new WeakMap<Job, SnapshotMeta>();
/** The BackupJobInfo objects of an upload, so UPLOAD_INFO need not upload again. */
const uploaded = new WeakMap<Job, Record<string, unknown>>();

function cancel(deps: RunnerDeps, job: Job, status: string): void {
  job.state = 'CANCELLED';
  job.status = status;
  job.finishedTime = deps.sim.clock.now();
  if (job.kind === 'restore') {
    const db = deps.sim.world.databases[job.db];
    // Cancelling removes what the restore created and hands existing tables back.
    for (const t of Object.values(db?.tables ?? {})) if (t.state === 'RESTORE') t.state = 'NORMAL';
  }
}

const transferMs = (deps: RunnerDeps, bytes: number): number =>
  Math.max(TICK_MS, Math.ceil((bytes / (deps.speed * Math.max(1, deps.sim.world.backends.alive))) * 1000));

async function stepBackup(deps: RunnerDeps, job: BackupJob): Promise<void> {
  const { sim } = deps;
  const now = sim.clock.now();
  switch (job.state) {
    case 'PENDING':
      job.jobId = job.key;
      job.state = 'SNAPSHOTING';
      break;
    case 'SNAPSHOTING': {
      const db = sim.world.databases[job.db];
      if (!db) return cancel(deps, job, `[COMMON_ERROR, msg: database ${job.db} does not exist]`);
      const meta = captureSnapshot(sim, job);
      const cooled = meta.tables.find((t) => t.partitions.some((p) => p.cooled));
      if (cooled) return cancel(deps, job, '[COMMON_ERROR, msg: make snapshot failed, currently not support backup tablet with cooldowned remote data]');
      captured.set(job, meta);
      job.snapshotFinishedTime = now;
      job.state = 'UPLOAD_SNAPSHOT';
      break;
    }
    case 'UPLOAD_SNAPSHOT':
      job.state = 'UPLOADING';
      job.nextAt = now + transferMs(deps, job.bytes);
      return;
    case 'UPLOADING': {
      const meta = captured.get(job) ?? captureSnapshot(sim, job);
      captured.set(job, meta);
      job.uploadStarted = true;
      try {
        uploaded.set(job, await writeSnapshotData(await deps.store(job.repo), job, meta));
      } catch (e) {
        return cancel(deps, job, `[BAD_CONNECTION, msg: failed to upload snapshot files: ${(e as Error).message}]`);
      }
      job.progress = '';
      job.uploadFinishedTime = now;
      job.state = 'SAVE_META';
      break;
    }
    case 'SAVE_META':
      job.state = 'UPLOAD_INFO';
      break;
    case 'UPLOAD_INFO': {
      const meta = captured.get(job) ?? captureSnapshot(sim, job);
      try {
        const store = await deps.store(job.repo);
        // After a simulator restart the upload's listing is gone: upload again (same md5 names).
        await writeSnapshotInfo(sim, store, job, meta, uploaded.get(job) ?? (await writeSnapshotData(store, job, meta)));
      } catch {
        // Doris retries the info upload until the job times out.
        job.nextAt = now + TICK_MS;
        return;
      }
      job.state = 'FINISHED';
      job.finishedTime = now;
      captured.delete(job);
      break;
    }
  }
  job.nextAt = now + TICK_MS;
}

async function stepRestore(deps: RunnerDeps, job: RestoreJob): Promise<void> {
  const { sim } = deps;
  const now = sim.clock.now();
  const db = sim.world.databases[job.db];
  if (!db) return cancel(deps, job, `[COMMON_ERROR, msg: database ${job.db} has been dropped]`);
  const repo = jobsState(sim.world).repositories[job.repo];
  const loadMeta = async (withRows: boolean): Promise<SnapshotMeta> => {
    const store = await deps.store(job.repo);
    const meta = await readMeta(store, job.repo, job.label, repo?.location ?? '');
    if (withRows) await downloadRows(store, job.repo, job.label, meta, repo?.location ?? '');
    return meta;
  };
  switch (job.state) {
    case 'PENDING': {
      let meta: SnapshotMeta;
      try {
        meta = await loadMeta(false);
      } catch (e) {
        return cancel(deps, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
      }
      const set = selectRestoreSet(job, meta);
      try {
        validateRestore(sim, job, db, set);
      } catch (e) {
        return cancel(deps, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
      }
      job.jobId = job.key;
      job.bytes = set.reduce((s, t) => s + t.partitions.reduce((x, p) => x + (p.syntheticBytes ?? JSON.stringify(p.rows).length), 0), 0);
      for (const t of set) if (db.tables[t.name]) db.tables[t.name]!.state = 'RESTORE';
      const hasCreating = atLeast(sim.version, 4, 0) || (sim.version.major === 3 && sim.version.patch >= 3) || (sim.version.minor === 1 && sim.version.patch >= 8) || (sim.version.minor === 0 && sim.version.patch >= 16);
      job.state = hasCreating ? 'CREATING' : 'SNAPSHOTING';
      if (!hasCreating) job.metaPreparedTime = now;
      break;
    }
    case 'CREATING':
      job.metaPreparedTime = now;
      job.state = 'SNAPSHOTING';
      break;
    case 'SNAPSHOTING':
      job.snapshotFinishedTime = now;
      job.state = 'DOWNLOAD';
      break;
    case 'DOWNLOAD':
      job.state = 'DOWNLOADING';
      job.nextAt = now + transferMs(deps, job.bytes);
      return;
    case 'DOWNLOADING':
      try {
        captured.set(job, await loadMeta(true));
      } catch (e) {
        return cancel(deps, job, `[COMMON_ERROR, msg: failed to download snapshot: ${(e as Error).message}]`);
      }
      job.downloadFinishedTime = now;
      job.state = 'COMMIT';
      break;
    case 'COMMIT':
      job.state = 'COMMITTING';
      break;
    case 'COMMITTING': {
      let meta = captured.get(job);
      if (!meta) {
        try {
          meta = await loadMeta(true);
        } catch (e) {
          return cancel(deps, job, `[COMMON_ERROR, msg: failed to download snapshot: ${(e as Error).message}]`);
        }
      }
      commitRestore(sim, job, db, selectRestoreSet(job, meta));
      captured.delete(job);
      job.state = 'FINISHED';
      job.finishedTime = now;
      break;
    }
  }
  job.nextAt = now + TICK_MS;
}

/** Advances every due job once; `busy` keeps one step per job in flight. */
export function startRunner(deps: RunnerDeps, realIntervalMs = 10): { stop(): void } {
  const busy = new Set<number>();
  const tick = (): void => {
    const state = jobsState(deps.sim.world);
    const now = deps.sim.clock.now();
    for (const job of state.jobs) {
      if (isDone(job) || busy.has(job.key) || job.nextAt > now) continue;
      if (now - job.createTime > job.timeoutSeconds * 1000) {
        cancel(deps, job, job.kind === 'backup' ? '[TIMEOUT, msg: ]' : `[TIMEOUT, msg: restore job with label: ${job.label}  timeout.]`);
        deps.sim.changed();
        continue;
      }
      const rule = state.failRules.findIndex((r) => r.db === job.db && r.state === job.state && (!r.label || r.label === job.label));
      if (rule >= 0) {
        cancel(deps, job, `[COMMON_ERROR, msg: ${state.failRules[rule]!.message}]`);
        state.failRules.splice(rule, 1);
        deps.sim.changed();
        continue;
      }
      busy.add(job.key);
      const step = job.kind === 'backup' ? stepBackup(deps, job) : stepRestore(deps, job);
      step
        .catch((e: unknown) => cancel(deps, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`))
        .finally(() => {
          busy.delete(job.key);
          deps.sim.changed();
        });
    }
  };
  const timer = setInterval(tick, realIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
