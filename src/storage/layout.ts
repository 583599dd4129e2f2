// Every object key of a Doris repository, in one place (doris-facts.md Part B §7). Pure.

export const repositoryRoot = (repo: string): string => `__palo_repository_${repo}/`;
export const repoInfoKey = (repo: string): string => `${repositoryRoot(repo)}__repo_info`;
export const snapshotsPrefix = (repo: string): string => `${repositoryRoot(repo)}__ss_`;
export const snapshotDir = (repo: string, label: string): string => `${snapshotsPrefix(repo)}${label}/`;

/**
 * The run's record (a copy of its state) beside the repository's snapshots, outside Doris's
 * directory, named by its plan's name and id (run/state-mirror.ts): a folder of numbered parts,
 * each numbered by the last save it holds. Records written before the parts were one object,
 * `runRecordKey`, read as a snapshot numbered 0.
 */
export const RUNS_FOLDER = '__doris_migrate_runs/';
export const runRecordKey = (name: string): string => `${RUNS_FOLDER}${name}.state.json`;
export const runRecordPrefix = (name: string): string => `${RUNS_FOLDER}${name}/`;

/** A snapshot holds the whole state; a delta one save's changes; a segment the deltas `from`..`seq` merged. */
export type RecordPart = { kind: 'snapshot' | 'delta'; seq: number } | { kind: 'segment'; from: number; seq: number };

const seqText = (n: number): string => String(n).padStart(12, '0');
export const runRecordPartKey = (name: string, part: RecordPart): string =>
  `${runRecordPrefix(name)}${part.kind}-${part.kind === 'segment' ? `${seqText(part.from)}-` : ''}${seqText(part.seq)}.json`;

/** The part a key of record `name` names (the older single object is a snapshot numbered 0), or undefined. */
export function parseRunRecordKey(name: string, key: string): RecordPart | undefined {
  if (key === runRecordKey(name)) return { kind: 'snapshot', seq: 0 };
  const prefix = runRecordPrefix(name);
  if (!key.startsWith(prefix)) return undefined;
  const m = /^(snapshot|delta|segment)-(\d{12})(?:-(\d{12}))?\.json$/.exec(key.slice(prefix.length));
  if (!m) return undefined;
  if (m[1] === 'segment') return m[3] ? { kind: 'segment', from: Number(m[2]), seq: Number(m[3]) } : undefined;
  return m[3] ? undefined : { kind: m[1] as 'snapshot' | 'delta', seq: Number(m[2]) };
}

/** Where our preflight writes its probe object (outside any repository directory). */
export const probeKey = (nonce: string): string => `__doris_migrate_probe_${nonce}`;

export interface SnapshotEntry {
  label: string;
  /** `__info_<ts>` timestamps found: a snapshot is complete once it has one. */
  timestamps: string[];
  files: number;
  bytes: number;
}

/** Groups a listing of keys under the repository root into snapshots. */
export function snapshotsFromKeys(repo: string, objects: { key: string; size: number }[]): SnapshotEntry[] {
  const prefix = snapshotsPrefix(repo);
  const byLabel = new Map<string, SnapshotEntry>();
  for (const o of objects) {
    if (!o.key.startsWith(prefix)) continue;
    const rest = o.key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const label = rest.slice(0, slash);
    const entry = byLabel.get(label) ?? { label, timestamps: [], files: 0, bytes: 0 };
    byLabel.set(label, entry);
    entry.files++;
    entry.bytes += o.size;
    const info = /^__info_(.+)\.[0-9a-f]{32}$/.exec(rest.slice(slash + 1));
    if (info) entry.timestamps.push(info[1]!);
  }
  for (const e of byLabel.values()) e.timestamps.sort();
  return [...byLabel.values()].sort((a, b) => (a.label < b.label ? -1 : 1));
}
