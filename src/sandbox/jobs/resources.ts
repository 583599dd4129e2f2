// What jobs on one simulated cluster share, so concurrency is not free here either: each backend's
// upload and download worker pools (BE config `upload_worker_count` / `download_worker_count`,
// 1 each by default), a fixed cost per tablet for snapshots, replica creation and commit, and an
// optional bandwidth cap per repository. Booking a transfer is pure: it takes the pools' busy
// slots and returns the job's share of them, so the runner can keep it on the job (and a restart
// finds it there).
import type { SimTable } from '../store.js';

/** Settings of the resource model (kept in the world, changed with `ADMIN SIM SET BACKEND CONFIG`). */
export interface ResourceConfig {
  /** Upload threads per backend (Doris BE `upload_worker_count`, default 1). */
  uploadWorkers: number;
  /** Download threads per backend (Doris BE `download_worker_count`, default 1). */
  downloadWorkers: number;
  /**
   * `shared`: concurrent jobs queue on the backends' worker pools, as on Doris. `independent`:
   * every job moves its data as if it had the cluster to itself (the model before pools; kept for
   * comparison in benchmarks).
   */
  transfers: 'shared' | 'independent';
  /** Simulated ms per tablet to take a snapshot (backup and restore), spread over the backends. */
  snapshotMsPerTablet: number;
  /** Simulated ms per replica a restore creates, spread over the backends. */
  createMsPerReplica: number;
  /** Simulated ms per tablet to commit a restore, spread over the backends. */
  commitMsPerTablet: number;
}

export const DEFAULT_RESOURCES: ResourceConfig = {
  uploadWorkers: 1,
  downloadWorkers: 1,
  transfers: 'shared',
  snapshotMsPerTablet: 10,
  createMsPerReplica: 20,
  commitMsPerTablet: 5,
};

/** The BE config keys `ADMIN SIM SET BACKEND CONFIG` takes (Doris's names, plus the simulator's own `sim.*`). */
const KEYS: Record<string, keyof ResourceConfig> = {
  upload_worker_count: 'uploadWorkers',
  download_worker_count: 'downloadWorkers',
  'sim.transfers': 'transfers',
  'sim.snapshot_ms_per_tablet': 'snapshotMsPerTablet',
  'sim.create_ms_per_replica': 'createMsPerReplica',
  'sim.commit_ms_per_tablet': 'commitMsPerTablet',
};

/** Parses `ADMIN SIM SET BACKEND CONFIG` properties; throws a one-line message for a bad key or value. */
export function resourceSettings(props: Record<string, string>): Partial<ResourceConfig> {
  const out: Partial<Record<keyof ResourceConfig, unknown>> = {};
  for (const [key, value] of Object.entries(props)) {
    const field = KEYS[key];
    if (!field) throw new Error(`Unknown backend config '${key}' (known: ${Object.keys(KEYS).join(', ')})`);
    if (field === 'transfers') {
      if (value !== 'shared' && value !== 'independent') throw new Error(`sim.transfers must be 'shared' or 'independent', not '${value}'`);
      out[field] = value;
      continue;
    }
    const n = Number(value);
    const workers = field === 'uploadWorkers' || field === 'downloadWorkers';
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (workers && (!Number.isInteger(n) || n < 1))) throw new Error(`Invalid value '${value}' for backend config '${key}'`);
    out[field] = n;
  }
  return out as Partial<ResourceConfig>;
}

/**
 * How a backend's snapshots are cut into upload/download tasks. 2.1.7+ and the newest line: tasks
 * of 10 snapshots (FE `backup_upload_snapshot_batch_size` / `restore_download_snapshot_batch_size`).
 * 2.0, older 2.1 and 3.0 (as of 3.0.2): at most 3 tasks per backend (FE
 * `backup_upload_task_num_per_be` / `restore_download_task_num_per_be`), the snapshots split among them.
 */
export type Batching = { snapshotsPerTask: number } | { tasksPerBackend: number };

const tasksOf = (snapshots: number, b: Batching): number =>
  'snapshotsPerTask' in b ? Math.max(1, Math.ceil(snapshots / b.snapshotsPerTask)) : Math.max(1, Math.min(snapshots, b.tasksPerBackend));

/** One worker thread of one backend, busy with this job's tasks until `until` (simulated ms). */
export interface SlotUse {
  backend: number;
  worker: number;
  until: number;
}

/** Tablets of a table's chosen partitions: buckets times indexes (base plus rollups). */
export function tabletsOf(t: SimTable, partitions?: string[]): number {
  const indexes = 1 + t.rollups.length;
  return t.partitions.filter((p) => !partitions || partitions.includes(p.name)).reduce((n, p) => n + Math.max(1, p.buckets) * indexes, 0);
}

/** A per-tablet cost spread over the alive backends (each works on its own tablets). */
export const perTabletMs = (msPerUnit: number, units: number, backends: number): number => Math.ceil((msPerUnit * units) / Math.max(1, backends));

export interface TransferRequest {
  now: number;
  bytes: number;
  tablets: number;
  backends: number;
  /** Worker threads per backend in this direction. */
  workers: number;
  /** Bytes per simulated second one worker moves. */
  speed: number;
  /** Bytes per simulated second this cluster may move to or from the repository, if capped. */
  cap?: number;
  /** Slots other jobs hold in this direction (only the latest `until` per slot matters). */
  busy: SlotUse[];
  /** Shortest transfer (one scheduler tick). */
  minMs: number;
  batching: Batching;
}

/**
 * Books a transfer on the pools: the job's tablets sit on up to `backends` backends (the ones free
 * soonest); each backend cuts its share into tasks (`batching`) and runs them
 * on its workers in order, each task after what is already queued there (a backend's task queue
 * is first come, first served). Under a cap, every worker slot of the cluster gets an even share
 * of it (exact when they are all busy, the case a cap is for; pessimistic otherwise).
 */
export function bookTransfer(r: TransferRequest): { start: number; end: number; slots: SlotUse[] } {
  const backends = Math.max(1, r.backends);
  const workers = Math.max(1, r.workers);
  const freeAt = Array.from({ length: backends }, () => Array.from({ length: workers }, () => r.now));
  for (const s of r.busy) if (s.backend < backends && s.worker < workers) freeAt[s.backend]![s.worker] = Math.max(freeAt[s.backend]![s.worker]!, s.until);
  const used = Math.min(backends, Math.max(1, r.tablets));
  // Backends whose earliest worker frees first take the job's tablets.
  const order = freeAt.map((w, b) => ({ b, first: Math.min(...w) })).sort((x, y) => x.first - y.first || x.b - y.b).slice(0, used);
  const speed = Math.min(r.speed, r.cap ? r.cap / (backends * workers) : Infinity);
  const slots: SlotUse[] = [];
  let start = Infinity;
  let end = r.now;
  order.forEach(({ b }, i) => {
    const tablets = Math.floor(r.tablets / used) + (i < r.tablets % used ? 1 : 0);
    const tasks = tasksOf(tablets, r.batching);
    const taskMs = (r.bytes / used / tasks / speed) * 1000;
    const mine = new Map<number, number>();
    for (let t = 0; t < tasks; t++) {
      const w = freeAt[b]!.indexOf(Math.min(...freeAt[b]!));
      const from = freeAt[b]![w]!;
      const until = from + taskMs;
      freeAt[b]![w] = until;
      mine.set(w, until);
      start = Math.min(start, from);
      end = Math.max(end, until);
    }
    for (const [worker, until] of mine) slots.push({ backend: b, worker, until: Math.ceil(until) });
  });
  start = Number.isFinite(start) ? start : r.now;
  end = Math.max(Math.ceil(end), r.now + r.minMs);
  return { start, end, slots };
}
