// Moves jobs through their states on the simulator's clock: one state per scheduler tick (3
// simulated seconds), plus the per-tablet costs and the transfers the resource model books
// (resources.ts: the backends' upload and download workers, shared by the cluster's jobs).
// Failures become CANCELLED with a Status text, as Doris reports asynchronous errors.
import type { Engine } from '../engine.js';
import { jobsState, isDone, type BackupJob, type Job, type RestoreJob } from './model.js';
import type { ObjStore } from '../objstore/types.js';
import { downloadRows, readMeta, type BackupObjects, type SnapshotMeta } from '../repository/snapshots.js';
import { captureSnapshot, writeSnapshotData, writeSnapshotInfo } from './backup.js';
import type { BackupSnapshots } from './backup-snapshots.js';
import { pingRepositories } from './ping.js';
import { commitRestore, createTables, selectRestoreSet, undoRestore, unreadableSnapshot, validateRestore } from './restore.js';
import { atLeast } from '../version.js';
import { bookTransfer, DEFAULT_RESOURCES, perTabletMs, tabletsOf, type Batching, type ResourceConfig } from './resources.js';
import { replicaCount } from '../store.js';

/** Doris's backup handler interval (backup_handler_update_interval_millis). */
export const TICK_MS = 3000;

export interface RunnerDeps {
  sim: Engine;
  store: (repo: string) => Promise<ObjStore>;
  /** Bytes per simulated second one upload or download worker of a backend moves. */
  speed: number;
  /** Backups' point-in-time copies on disk, for a backup that outlives a restart. */
  snapshots?: BackupSnapshots;
}

/** Snapshots captured by running backups and read by running restores (rebuilt after a restart). */
const captured = new WeakMap<Job, SnapshotMeta>();
/** The BackupJobInfo objects of an upload, so UPLOAD_INFO need not upload again. */
const uploaded = new WeakMap<Job, BackupObjects>();

export function cancel(sim: Engine, job: Job, status: string): void {
  job.state = 'CANCELLED';
  job.status = status;
  job.finishedTime = sim.clock.now();
  job.progress = '';
  delete job.transfer;
  if (job.kind === 'restore') undoRestore(sim, job);
}

const resourcesOf = (sim: Engine): ResourceConfig => ({ ...DEFAULT_RESOURCES, ...jobsState(sim.world).resources });

const aliveBackends = (sim: Engine): number => Math.max(1, sim.world.backends.alive);

/** Books the job's upload (backup) or download (restore) on the cluster's worker pools. */
function startTransfer(deps: RunnerDeps, job: Job, files: number): void {
  const { sim } = deps;
  const now = sim.clock.now();
  const config = resourcesOf(sim);
  const state = jobsState(sim.world);
  const moving = job.kind === 'backup' ? 'UPLOADING' : 'DOWNLOADING';
  const busy = config.transfers === 'shared' ? state.jobs.filter((j) => j !== job && j.state === moving && j.transfer).flatMap((j) => j.transfer!.slots ?? []) : [];
  const booked = bookTransfer({
    now, bytes: job.bytes, tablets: job.tablets ?? 1, backends: aliveBackends(sim), workers: job.kind === 'backup' ? config.uploadWorkers : config.downloadWorkers,
    speed: deps.speed, cap: state.bandwidth?.[job.repo], busy, minMs: TICK_MS, batching: batchingOf(sim),
  });
  job.transfer = { start: booked.start, end: booked.end, files, slots: booked.slots };
  job.moved = { bookedAt: now, start: booked.start, end: booked.end };
  job.nextAt = booked.end;
}

/** Tasks of 10 snapshots from 2.1.7 and on the newest line; up to 3 tasks per backend before (3.0 as of 3.0.2). */
const batchingOf = (sim: Engine): Batching => {
  const v = sim.version;
  return atLeast(v, 4, 0) || (v.major === 2 && v.minor === 1 && v.patch >= 7) ? { snapshotsPerTask: 10 } : { tasksPerBackend: 3 };
};

/** The next step's time after a state whose work costs `ms` on top of the tick. */
const after = (now: number, ms: number): number => now + TICK_MS + ms;

/** Restore CREATING (a state of its own on newer builds). */
const hasCreating = (sim: Engine): boolean => {
  const v = sim.version;
  return atLeast(v, 4, 0) || atLeast(v, 3, 0, 3) || (v.major === 2 && v.minor === 1 && v.patch >= 8) || (v.major === 2 && v.minor === 0 && v.patch >= 16);
};

/** Runs one state's work; `at` is the state it started in, so a cancel meanwhile wins. */
async function stepBackup(deps: RunnerDeps, job: BackupJob): Promise<void> {
  const { sim } = deps;
  const at = job.state;
  const moved = (): boolean => job.state !== at;
  const now = sim.clock.now();
  switch (at) {
    case 'PENDING':
      job.jobId = job.key;
      job.state = 'SNAPSHOTING';
      job.nextAt = after(now, perTabletMs(resourcesOf(sim).snapshotMsPerTablet, job.tablets ?? 0, aliveBackends(sim)));
      return;
    case 'SNAPSHOTING': {
      if (!sim.world.databases[job.db]) return cancel(sim, job, `[COMMON_ERROR, msg: database ${job.db} does not exist]`);
      const meta = captureSnapshot(sim, job);
      if (meta.tables.some((t) => t.partitions.some((p) => p.cooled))) {
        return cancel(sim, job, '[COMMON_ERROR, msg: make snapshot failed, currently not support backup tablet with cooldowned remote data]');
      }
      captured.set(job, meta);
      deps.snapshots?.save(job, meta);
      job.snapshotFinishedTime = now;
      job.state = 'UPLOAD_SNAPSHOT';
      break;
    }
    case 'UPLOAD_SNAPSHOT': {
      // Backends write the tablet files now: from here on the label is taken in the repository.
      const meta = snapshotOf(deps, job);
      job.uploadStarted = true;
      let objects: BackupObjects;
      try {
        objects = await writeSnapshotData(await deps.store(job.repo), job, meta);
      } catch (e) {
        if (!moved()) cancel(sim, job, `[BAD_CONNECTION, msg: failed to upload snapshot files: ${(e as Error).message}]`);
        return;
      }
      if (moved()) return;
      uploaded.set(job, objects);
      job.state = 'UPLOADING';
      startTransfer(deps, job, meta.tables.reduce((n, t) => n + t.partitions.length, 0) * 2);
      return;
    }
    case 'UPLOADING':
      job.progress = '';
      delete job.transfer;
      job.uploadFinishedTime = now;
      job.state = 'SAVE_META';
      break;
    case 'SAVE_META':
      job.state = 'UPLOAD_INFO';
      break;
    case 'UPLOAD_INFO': {
      const meta = snapshotOf(deps, job);
      try {
        const store = await deps.store(job.repo);
        // After a simulator restart the upload's listing is gone: upload again (same md5 names).
        await writeSnapshotInfo(sim, store, job, meta, uploaded.get(job) ?? (await writeSnapshotData(store, job, meta)));
      } catch {
        // Doris retries the info upload until the job times out.
        job.nextAt = now + TICK_MS;
        return;
      }
      if (moved()) return;
      job.state = 'FINISHED';
      // When FINISHED shows, as Doris stamps it: the upload above took simulated time too.
      job.finishedTime = sim.clock.now();
      captured.delete(job);
      deps.snapshots?.drop(job);
      break;
    }
  }
  job.nextAt = now + TICK_MS;
}

/**
 * The backup's copy taken in SNAPSHOTING: in memory, else from disk after a restart (taken again
 * only for a world written before copies were kept).
 */
function snapshotOf(deps: RunnerDeps, job: BackupJob): SnapshotMeta {
  const meta = captured.get(job) ?? deps.snapshots?.load(job) ?? captureSnapshot(deps.sim, job);
  captured.set(job, meta);
  return meta;
}

async function stepRestore(deps: RunnerDeps, job: RestoreJob): Promise<void> {
  const { sim } = deps;
  const at = job.state;
  const moved = (): boolean => job.state !== at;
  const now = sim.clock.now();
  const db = sim.world.databases[job.db];
  if (!db) return cancel(sim, job, `[COMMON_ERROR, msg: database ${job.db} has been dropped]`);
  const location = jobsState(sim.world).repositories[job.repo]?.location ?? '';
  const loadMeta = async (withRows: boolean): Promise<SnapshotMeta> => {
    const store = await deps.store(job.repo);
    const meta = await readMeta(store, job.repo, job.label, location);
    if (withRows) await downloadRows(store, job.repo, job.label, meta, location);
    return meta;
  };
  switch (at) {
    case 'PENDING': {
      const unreadable = unreadableSnapshot(sim, job);
      if (unreadable) return cancel(sim, job, `[COMMON_ERROR, msg: ${unreadable}]`);
      let meta: SnapshotMeta;
      try {
        meta = await loadMeta(false);
      } catch (e) {
        if (!moved()) cancel(sim, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
        return;
      }
      if (moved()) return;
      const set = selectRestoreSet(job, meta);
      try {
        validateRestore(sim, job, db, set);
      } catch (e) {
        return cancel(sim, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
      }
      job.jobId = job.key;
      job.bytes = set.reduce((s, t) => s + t.partitions.reduce((x, p) => x + (p.syntheticBytes ?? JSON.stringify(p.rows).length), 0), 0);
      const olap = set.filter((t) => t.type === 'OLAP');
      job.tablets = olap.reduce((n, t) => n + tabletsOf(t), 0);
      const replicas = olap.reduce((n, t) => n + tabletsOf(t) * Math.max(1, replicaCount(job.props.reserveReplica ? (t.properties.replication_allocation ?? '') : job.props.replicationAllocation)), 0);
      const config = resourcesOf(sim);
      const creating = perTabletMs(config.createMsPerReplica, replicas, aliveBackends(sim));
      const snapshotting = perTabletMs(config.snapshotMsPerTablet, job.tablets, aliveBackends(sim));
      // Existing tables stop taking loads and DDL for the whole job.
      for (const t of set) if (db.tables[t.name]?.type === 'OLAP') db.tables[t.name]!.state = 'RESTORE';
      if (hasCreating(sim)) {
        job.state = 'CREATING';
        job.nextAt = after(now, creating);
      } else {
        // Older builds create the replicas within PENDING and show SNAPSHOTING next.
        createTables(sim, job, db, set);
        job.metaPreparedTime = now;
        job.state = 'SNAPSHOTING';
        job.nextAt = after(now, creating + snapshotting);
      }
      return;
    }
    case 'CREATING': {
      let meta: SnapshotMeta;
      try {
        meta = await loadMeta(false);
      } catch (e) {
        if (!moved()) cancel(sim, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
        return;
      }
      if (moved()) return;
      createTables(sim, job, db, selectRestoreSet(job, meta));
      job.metaPreparedTime = now;
      job.state = 'SNAPSHOTING';
      job.nextAt = after(now, perTabletMs(resourcesOf(sim).snapshotMsPerTablet, job.tablets ?? 0, aliveBackends(sim)));
      return;
    }
    case 'SNAPSHOTING':
      job.snapshotFinishedTime = now;
      job.state = 'DOWNLOAD';
      break;
    case 'DOWNLOAD':
      job.state = 'DOWNLOADING';
      startTransfer(deps, job, Math.max(1, (job.restoreObjs.match(/"partition_names"/g) ?? []).length) * 2);
      return;
    case 'DOWNLOADING':
      try {
        captured.set(job, await loadMeta(true));
      } catch (e) {
        if (!moved()) cancel(sim, job, `[COMMON_ERROR, msg: failed to download snapshot: ${(e as Error).message}]`);
        return;
      }
      if (moved()) return;
      job.progress = '';
      delete job.transfer;
      job.downloadFinishedTime = now;
      job.state = 'COMMIT';
      break;
    case 'COMMIT':
      job.state = 'COMMITTING';
      job.nextAt = after(now, perTabletMs(resourcesOf(sim).commitMsPerTablet, job.tablets ?? 0, aliveBackends(sim)));
      return;
    case 'COMMITTING': {
      let meta = captured.get(job);
      if (!meta) {
        try {
          meta = await loadMeta(true);
        } catch (e) {
          if (!moved()) cancel(sim, job, `[COMMON_ERROR, msg: failed to download snapshot: ${(e as Error).message}]`);
          return;
        }
        if (moved()) return;
      }
      commitRestore(sim, job, db, selectRestoreSet(job, meta));
      captured.delete(job);
      job.state = 'FINISHED';
      // When FINISHED shows, as Doris stamps it: reading the snapshot above took simulated time too.
      job.finishedTime = sim.clock.now();
      break;
    }
  }
  job.nextAt = now + TICK_MS;
}

/** Advances every due job once; `busy` keeps one step per job in flight. */
export function startRunner(deps: RunnerDeps, realIntervalMs = 10): { stop(): void } {
  const busy = new Set<number>();
  // Work in flight when the simulator stops must not touch its (possibly deleted) data dir.
  let stopped = false;
  const changed = (): void => {
    if (!stopped) deps.sim.changed();
  };
  const tick = (): void => {
    const { sim } = deps;
    const state = jobsState(sim.world);
    const now = sim.clock.now();
    pingRepositories(sim, deps.store, now, changed);
    for (const job of state.jobs) {
      if (isDone(job) || busy.has(job.key) || job.nextAt > now) continue;
      if (now - job.createTime > job.timeoutSeconds * 1000) {
        cancel(sim, job, job.kind === 'backup' ? '[TIMEOUT, msg: ]' : `[TIMEOUT, msg: restore job with label: ${job.label}  timeout.]`);
        sim.changed();
        continue;
      }
      const rule = state.failRules.findIndex((r) => r.db === job.db && r.state === job.state && (!r.label || r.label === job.label));
      if (rule >= 0) {
        cancel(sim, job, `[COMMON_ERROR, msg: ${state.failRules[rule]!.message}]`);
        state.failRules.splice(rule, 1);
        sim.changed();
        continue;
      }
      busy.add(job.key);
      const step = job.kind === 'backup' ? stepBackup(deps, job) : stepRestore(deps, job);
      step
        .catch((e: unknown) => {
          if (!isDone(job)) cancel(sim, job, `[COMMON_ERROR, msg: ${(e as Error).message}]`);
        })
        .finally(() => {
          busy.delete(job.key);
          changed();
        });
    }
  };
  const timer = setInterval(tick, realIntervalMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
