// The files of one snapshot in a repository, in Doris's layout (doris-facts.md Part B §7):
// md5-suffixed names, data under __ss_content, and __info_<ts> written last as the completion mark.
import { createHash } from 'node:crypto';
import type { SimDatabase, SimTable } from '../store.js';
import { repoRoot } from './repository.js';
import type { ObjStore } from './objstore.js';

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
export const ssDir = (repo: string, label: string): string => `${repoRoot(repo)}__ss_${label}/`;

/** Writes `name.<md5>` and returns that name. */
async function putWithChecksum(store: ObjStore, dir: string, name: string, body: Buffer): Promise<string> {
  const full = `${name}.${md5(body)}`;
  await store.put(dir + full, body);
  return full;
}

/** The tables a snapshot carries, as captured when the backup took its snapshot. */
export interface SnapshotMeta {
  db: { id: number; name: string; properties: Record<string, string> };
  tables: SimTable[];
}

/** Uploads each partition's data as one tablet (header + data file); returns the BackupJobInfo objects. */
export async function uploadContent(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, withData: boolean): Promise<Record<string, unknown>> {
  const objects: Record<string, unknown> = {};
  for (const t of meta.tables) {
    if (t.type !== 'OLAP') continue;
    const partitions: Record<string, unknown> = {};
    for (const p of t.partitions) {
      const tabletId = p.tabletIdBase;
      const dir = `${ssDir(repo, label)}__ss_content/__db_${meta.db.id}/__tbl_${t.id}/__part_${p.id}/__idx_${t.id}/__${tabletId}/`;
      const files: string[] = [];
      if (withData) {
        files.push(await putWithChecksum(store, dir, `${tabletId}.hdr`, Buffer.from(JSON.stringify({ tablet_id: tabletId, version: p.visibleVersion }))));
        const rowsetId = `02${String(p.id).padStart(46, '0')}`;
        files.push(await putWithChecksum(store, dir, `${rowsetId}_0.dat`, Buffer.from(JSON.stringify(p.rows))));
      }
      partitions[p.name] = { id: p.id, version: p.visibleVersion, indexes: { [t.name]: { id: t.id, schema_hash: 1, tablets: { [tabletId]: files }, tablets_order: [tabletId] } } };
    }
    objects[t.name] = { id: t.id, partitions };
  }
  return objects;
}

/** Writes `__meta` then `__info_<ts>` (the completion marker). */
export async function uploadInfo(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, info: Record<string, unknown>, timestamp: string): Promise<void> {
  const dir = ssDir(repo, label);
  const strippedRows: SnapshotMeta = { ...meta, tables: meta.tables.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, rows: [] })) })) };
  await putWithChecksum(store, dir, '__meta', Buffer.from(JSON.stringify(strippedRows)));
  await putWithChecksum(store, dir, `__info_${timestamp}`, Buffer.from(JSON.stringify(info)));
}

export interface SnapshotListing {
  label: string;
  /** `__info_` timestamps, oldest first; empty while in progress or after a failed upload. */
  timestamps: string[];
  invalid: string[];
}

export async function listSnapshots(store: ObjStore, repo: string): Promise<SnapshotListing[]> {
  const root = repoRoot(repo);
  const byLabel = new Map<string, SnapshotListing>();
  for (const o of await store.list(`${root}__ss_`)) {
    const rest = o.key.slice(root.length + '__ss_'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const label = rest.slice(0, slash);
    const entry = byLabel.get(label) ?? { label, timestamps: [], invalid: [] };
    byLabel.set(label, entry);
    const file = rest.slice(slash + 1);
    if (file.startsWith('__info_')) {
      const m = /^__info_(.+)\.([0-9a-f]{32})$/.exec(file);
      if (m) entry.timestamps.push(m[1]!);
      else entry.invalid.push(file);
    }
  }
  for (const e of byLabel.values()) e.timestamps.sort();
  return [...byLabel.values()];
}

async function readOne(store: ObjStore, dir: string, name: string, location: string): Promise<Buffer> {
  const found = (await store.list(dir + name)).filter((o) => /\.[0-9a-f]{32}$/.test(o.key) && o.key.slice(dir.length).startsWith(`${name}.`));
  if (found.length !== 1) throw new Error(`Expected one file with path: ${location}/${dir}${name}. get: ${found.length}`);
  const body = await store.get(found[0]!.key);
  const remote = found[0]!.key.slice(-32);
  if (md5(body) !== remote) throw new Error(`md5sum does not equal. local: ${md5(body)}, remote: ${remote}`);
  return body;
}

export async function readInfo(store: ObjStore, repo: string, label: string, timestamp: string, location: string): Promise<Record<string, unknown>> {
  return JSON.parse((await readOne(store, ssDir(repo, label), `__info_${timestamp}`, location)).toString('utf8')) as Record<string, unknown>;
}

export async function readMeta(store: ObjStore, repo: string, label: string, location: string): Promise<SnapshotMeta> {
  return JSON.parse((await readOne(store, ssDir(repo, label), '__meta', location)).toString('utf8')) as SnapshotMeta;
}

/** Reads each partition's rows back from its data file. */
export async function downloadRows(store: ObjStore, repo: string, label: string, meta: SnapshotMeta, location: string): Promise<void> {
  for (const t of meta.tables) {
    if (t.type !== 'OLAP') continue;
    for (const p of t.partitions) {
      const dir = `${ssDir(repo, label)}__ss_content/__db_${meta.db.id}/__tbl_${t.id}/__part_${p.id}/__idx_${t.id}/__${p.tabletIdBase}/`;
      const files = await store.list(dir);
      const data = files.find((f) => /_0\.dat\.[0-9a-f]{32}$/.test(f.key));
      p.rows = data ? (JSON.parse((await readOne(store, dir, data.key.slice(dir.length).replace(/\.[0-9a-f]{32}$/, ''), location)).toString('utf8')) as SimTable['partitions'][number]['rows']) : [];
    }
  }
}

/** Views are captured by definition (they carry no data). */
export const viewsOf = (db: SimDatabase, names: Set<string> | undefined): SimTable[] =>
  Object.values(db.tables).filter((t) => t.type === 'VIEW' && (!names || names.has(t.name)));
