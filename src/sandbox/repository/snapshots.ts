// Writing, listing and reading one snapshot in a repository, in Doris's layout (doris-facts.md
// Part B §7): tablet files under __ss_content during UPLOADING, then __meta and last __info_<ts>,
// the completion marker. Simplification: each partition's rows go to one tablet (its first).
import type { SimDatabase, SimTable } from '../store.js';
import type { ObjStore } from '../objstore/types.js';
import { decodeChecksum, md5, repoRoot, rowsetId, snapshotDir, tabletDir, withChecksum } from './layout.js';

/** The objects a snapshot carries, as captured when the backup took its snapshot. */
export interface SnapshotMeta {
  db: { id: number; name: string; properties: Record<string, string> };
  tables: SimTable[];
}

/** `BackupJobInfo.backup_objects`: table → partitions → indexes → tablets → file names. */
export type BackupObjects = Record<string, { id: number; partitions: Record<string, { id: number; version: number; indexes: Record<string, unknown> }> }>;

/** The parts of the `__info_<ts>` JSON the simulator reads back. */
export interface SnapshotInfo {
  name: string;
  database: string;
  id: number;
  backup_time: number;
  content: 'ALL' | 'METADATA_ONLY';
  backup_objects: BackupObjects;
  new_backup_objects: { views: { id: number; name: string }[]; odbc_tables: unknown[]; odbc_resources: unknown[] };
  meta_version: number;
  major_version: number;
  minor_version: number;
  patch_version: number;
}

/** Runs `tasks` with at most `width` in flight (uploads to one server). */
async function inParallel(tasks: (() => Promise<void>)[], width = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}

/** Uploads every partition's tablet files (what BEs do in UPLOADING); returns `backup_objects`. */
export async function uploadContent(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, withData: boolean): Promise<BackupObjects> {
  const objects: BackupObjects = {};
  const uploads: (() => Promise<void>)[] = [];
  for (const t of meta.tables) {
    if (t.type !== 'OLAP') continue;
    const partitions: BackupObjects[string]['partitions'] = {};
    for (const p of t.partitions) {
      const tablet = p.tabletIdBase;
      const dir = tabletDir(repo, label, { db: meta.db.id, table: t.id, partition: p.id, index: t.id, tablet });
      const files: string[] = [];
      if (withData) {
        // METADATA_ONLY lists the tablets with no files.
        const hdr = Buffer.from(JSON.stringify({ tablet_id: tablet, version: p.visibleVersion }));
        const dat = Buffer.from(JSON.stringify(p.rows));
        for (const [name, body] of [[`${tablet}.hdr`, hdr], [`${rowsetId(p.id)}_0.dat`, dat]] as const) {
          const file = withChecksum(name, body);
          files.push(file);
          uploads.push(() => store.put(dir + file, body));
        }
      }
      const index = { id: t.id, schema_hash: 1, tablets: { [tablet]: files }, tablets_order: [tablet] };
      partitions[p.name] = { id: p.id, version: p.visibleVersion, indexes: { [t.name]: index } };
    }
    objects[t.name] = { id: t.id, partitions };
  }
  await inParallel(uploads);
  return objects;
}

/** Uploads `__meta.<md5>` then `__info_<ts>.<md5>` (UPLOAD_INFO). */
export async function uploadInfo(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, info: SnapshotInfo, timestamp: string): Promise<void> {
  const dir = snapshotDir(repo, label);
  const schemaOnly: SnapshotMeta = { ...meta, tables: meta.tables.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, rows: [] })) })) };
  const metaBody = Buffer.from(JSON.stringify(schemaOnly));
  await store.put(dir + withChecksum('__meta', metaBody), metaBody);
  const infoBody = Buffer.from(JSON.stringify(info));
  await store.put(dir + withChecksum(`__info_${timestamp}`, infoBody), infoBody);
}

export interface SnapshotListing {
  label: string;
  /** `__info_` timestamps in listing order; empty while in progress or after a failed upload. */
  timestamps: string[];
  /** `__info_` files without a valid md5 suffix. */
  invalid: string[];
}

/**
 * Every `__ss_<label>/` in the repository (or only `label`'s, which is all Doris reads for SHOW
 * SNAPSHOT ... WHERE SNAPSHOT = label): a label exists as soon as any object under it does.
 */
export async function listSnapshots(store: ObjStore, repo: string, label?: string): Promise<SnapshotListing[]> {
  const root = repoRoot(repo);
  const byLabel = new Map<string, SnapshotListing>();
  for (const o of await store.list(label === undefined ? `${root}__ss_` : `${root}__ss_${label}/`)) {
    const rest = o.key.slice(root.length + '__ss_'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const label = rest.slice(0, slash);
    const entry = byLabel.get(label) ?? { label, timestamps: [], invalid: [] };
    byLabel.set(label, entry);
    const file = rest.slice(slash + 1);
    if (!file.startsWith('__info_')) continue;
    const decoded = decodeChecksum(file);
    if (decoded) entry.timestamps.push(decoded.name.slice('__info_'.length));
    else entry.invalid.push(file);
  }
  return [...byLabel.values()];
}

/** Reads `<dir><name>.<md5>`: exactly one match, checksum verified, as Doris's download does. */
async function readOne(store: ObjStore, dir: string, name: string, location: string): Promise<Buffer> {
  const found = (await store.list(dir + name)).filter((o) => decodeChecksum(o.key.slice(dir.length))?.name === name);
  if (found.length !== 1) throw new Error(`Expected one file with path: ${location.replace(/\/+$/, '')}/${dir}${name}. get: ${found.length}`);
  const key = found[0]!.key;
  const body = await store.get(key);
  const remote = key.slice(-32);
  if (md5(body) !== remote) throw new Error(`md5sum does not equal. local: ${md5(body)}, remote: ${remote}`);
  return body;
}

export async function readInfo(store: ObjStore, repo: string, label: string, timestamp: string, location: string): Promise<SnapshotInfo> {
  return JSON.parse((await readOne(store, snapshotDir(repo, label), `__info_${timestamp}`, location)).toString('utf8')) as SnapshotInfo;
}

export async function readMeta(store: ObjStore, repo: string, label: string, location: string): Promise<SnapshotMeta> {
  return JSON.parse((await readOne(store, snapshotDir(repo, label), '__meta', location)).toString('utf8')) as SnapshotMeta;
}

/** Reads each partition's rows back from its data file (DOWNLOADING). */
export async function downloadRows(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, location: string): Promise<void> {
  const reads: (() => Promise<void>)[] = [];
  for (const t of meta.tables) {
    if (t.type !== 'OLAP') continue;
    for (const p of t.partitions) {
      const dir = tabletDir(repo, label, { db: meta.db.id, table: t.id, partition: p.id, index: t.id, tablet: p.tabletIdBase });
      reads.push(async () => {
        const dat = (await store.list(dir)).map((f) => decodeChecksum(f.key.slice(dir.length))?.name).find((n) => n?.endsWith('_0.dat'));
        p.rows = dat ? (JSON.parse((await readOne(store, dir, dat, location)).toString('utf8')) as SimTable['partitions'][number]['rows']) : [];
      });
    }
  }
  await inParallel(reads);
}

/** Views travel by definition (they carry no data). */
export const viewsOf = (db: SimDatabase, names: Set<string> | undefined): SimTable[] =>
  Object.values(db.tables).filter((t) => t.type === 'VIEW' && (!names || names.has(t.name)));
