// Every object key of a Doris repository, in one place (doris-facts.md Part B §7). Pure.

export const repositoryRoot = (repo: string): string => `__palo_repository_${repo}/`;
export const repoInfoKey = (repo: string): string => `${repositoryRoot(repo)}__repo_info`;
export const snapshotsPrefix = (repo: string): string => `${repositoryRoot(repo)}__ss_`;
export const snapshotDir = (repo: string, label: string): string => `${snapshotsPrefix(repo)}${label}/`;

/**
 * The run's record (a copy of its state) beside the repository's snapshots, outside Doris's
 * directory: one object per migration, named by its plan's name and id.
 */
export const runRecordKey = (name: string): string => `__doris_migrate_runs/${name}.state.json`;

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
