// One small interface over S3-compatible stores, Azure Blob and HDFS, and the checks built on it:
// preflight (write, read, delete a probe), snapshot listing, snapshot file counts, cleanup.
// SDKs load lazily, so commands that never touch storage (review) never load them.
import { randomUUID } from 'node:crypto';
import { refusedError } from '../errors.js';
import type { RepositorySettings } from './settings.js';
import { probeKey, runRecordKey, runRecordPrefix, RUNS_FOLDER, snapshotDir, snapshotsFromKeys, snapshotsPrefix, type SnapshotEntry } from './layout.js';
import { parseLocation } from './location.js';
import { infoKey, parseSnapshotVersions, type SnapshotVersions } from './snapshot-info.js';
import type { RepositorySecrets } from './properties.js';

/** Keys are relative to the location's prefix. Errors are thrown as StoreError (one line). */
export interface ObjectStore {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  list(prefix: string): Promise<{ key: string; size: number }[]>;
  delete(key: string): Promise<void>;
}

/** A storage failure already phrased for a person: what failed and the likely fix. */
export class StoreError extends Error {}

export interface PreflightResult {
  location: string;
  /** `skipped` when the backend cannot be checked from here (HDFS without WebHDFS), with why. */
  checked: 'ok' | 'skipped';
  note?: string;
  snapshots: SnapshotEntry[];
}

export interface RepositoryBackend {
  location: string;
  preflight(repo: string): Promise<PreflightResult>;
  listSnapshots(repo: string): Promise<SnapshotEntry[]>;
  /** Files and bytes of one snapshot, or undefined when it is not in the repository. */
  snapshotFiles(repo: string, label: string): Promise<SnapshotEntry | undefined>;
  /** Deletes one snapshot's files; returns how many were deleted. */
  deleteSnapshot(repo: string, label: string): Promise<number>;
  /**
   * Each partition's id and version as the snapshot holds them (its job info file), or a reason
   * it cannot be read from here (no store client for the backend, file missing or damaged).
   */
  snapshotVersions(repo: string, label: string, timestamp: string): Promise<SnapshotVersions | string>;
  /**
   * The objects of the run's records kept beside the snapshots (run/state-mirror.ts), absent where
   * the store cannot be reached from here (HDFS).
   */
  runRecord?: RunRecordObjects;
}

async function openStore(settings: RepositorySettings, secrets: RepositorySecrets): Promise<ObjectStore | undefined> {
  const parsed = parseLocation(settings.location);
  if (settings.backend === 's3' && parsed.backend === 's3') return (await import('./s3.js')).s3ObjectStore(settings, parsed, secrets);
  if (settings.backend === 'azure' && parsed.backend === 'azure') return (await import('./azure.js')).azureObjectStore(settings, parsed, secrets);
  return undefined;
}

const refuse = (location: string, e: unknown): never => {
  throw refusedError('repository-unreachable', `repository ${location}: ${e instanceof StoreError ? e.message : (e as Error).message}`);
};

export async function openRepository(settings: RepositorySettings, secrets: RepositorySecrets): Promise<RepositoryBackend> {
  const location = settings.location;
  const store = await openStore(settings, secrets);
  const listUnder = async (repo: string, prefix: string): Promise<SnapshotEntry[]> => {
    if (!store) return [];
    try {
      return snapshotsFromKeys(repo, (await store.list(prefix)).map((o) => ({ key: o.key, size: o.size })));
    } catch (e) {
      return refuse(location, e);
    }
  };
  const listSnapshots = (repo: string): Promise<SnapshotEntry[]> => listUnder(repo, snapshotsPrefix(repo));
  return {
    location,
    async preflight(repo) {
      if (!store) {
        const hdfs = settings.backend === 'hdfs' ? settings : undefined;
        if (!hdfs?.webhdfs) return { location, checked: 'skipped', note: 'HDFS is checked by Doris when the repository is created (give --webhdfs URL to check it from here)', snapshots: [] };
        const { checkWebHdfs } = await import('./hdfs.js');
        await checkWebHdfs(hdfs, location).catch((e: unknown) => refuse(location, e));
        return { location, checked: 'ok', snapshots: [] };
      }
      const key = probeKey(randomUUID());
      const body = Buffer.from(`doris-migrate preflight ${key}`);
      try {
        await store.put(key, body);
        const back = await store.get(key);
        if (!back.equals(body)) throw new StoreError(`read back a different probe object than written to ${key}: the prefix is shared with something that rewrites objects`);
        await store.delete(key);
      } catch (e) {
        return refuse(location, e);
      }
      return { location, checked: 'ok', snapshots: await listSnapshots(repo) };
    },
    listSnapshots,
    async snapshotFiles(repo, label) {
      // Only this snapshot's folder: listing the whole repository after every backup would grow
      // with the migration (quadratic in snapshots over a run).
      return (await listUnder(repo, snapshotDir(repo, label))).find((s) => s.label === label);
    },
    async snapshotVersions(repo, label, timestamp) {
      if (!store) return `${location} cannot be read from here`;
      try {
        const dir = snapshotDir(repo, label);
        const key = infoKey((await store.list(`${dir}__info_${timestamp}`)).map((o) => o.key), dir, timestamp);
        if (!key) return `no job info file for ${label} at ${timestamp}`;
        return parseSnapshotVersions(key, await store.get(key));
      } catch (e) {
        return e instanceof StoreError ? e.message : (e as Error).message;
      }
    },
    ...(store ? { runRecord: runRecordStore(store, location) } : {}),
    async deleteSnapshot(repo, label) {
      if (!store) throw refusedError('cleanup-unsupported', `cleanup of ${location} is not supported from here: delete ${snapshotDir(repo, label)} with the storage's own tools`);
      try {
        const objects = await store.list(snapshotDir(repo, label));
        for (const o of objects) await store.delete(o.key);
        return objects.length;
      } catch (e) {
        return refuse(location, e);
      }
    },
  };
}

/**
 * The objects of run records (keys from layout.ts runRecordPartKey / runRecordKey, only under the
 * runs folder). Every failure is a one-line refusal naming the location.
 */
export interface RunRecordObjects {
  /** Keys of record `name`'s objects (its parts and the older single object), in no order. */
  list(name: string): Promise<string[]>;
  read(key: string): Promise<string>;
  write(key: string, text: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Run records over an object store (exported for benchmarks over other stores). */
export function runRecordStore(store: ObjectStore, location: string): RunRecordObjects {
  // A key from anywhere else would be a bug here, and must never touch Doris's snapshots.
  const checked = (key: string): string => {
    if (!key.startsWith(RUNS_FOLDER) || key.includes('..')) throw new Error(`not a run record key: ${key}`);
    return key;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      return refuse(location, e);
    }
  };
  return {
    // One listing for both shapes: the folder `name/` and the older `name.state.json`.
    list: (name) => guard(async () => (await store.list(`${RUNS_FOLDER}${name}`)).map((o) => o.key).filter((k) => k === runRecordKey(name) || k.startsWith(runRecordPrefix(name)))),
    read: (key) => guard(async () => (await store.get(checked(key))).toString('utf8')),
    write: (key, text) => guard(() => store.put(checked(key), Buffer.from(text))),
    delete: (key) => guard(() => store.delete(checked(key))),
  };
}
