// A snapshot's job info file (`__info_<ts>.<md5>`, Doris's BackupJobInfo as JSON): each backed-up
// table's partitions with the PartitionId and visible version the snapshot holds
// (`backup_objects` -> table -> `partitions` -> name -> `id`, `version`; doris-facts.md Part B §7,
// Doris backup/BackupJobInfo.java). Pure.
import { createHash } from 'node:crypto';

/** table -> partition -> [PartitionId, version]. */
export type SnapshotVersions = Record<string, Record<string, [number, number]>>;

/** `<snapshotDir>__info_<timestamp>.<md5>` among `keys`, or undefined. */
export const infoKey = (keys: string[], dir: string, timestamp: string): string | undefined => keys.find((k) => k.startsWith(`${dir}__info_${timestamp}.`) && /\.[0-9a-f]{32}$/.test(k));

/**
 * The versions in an info file, or why it cannot be read (checksum, shape): the caller then falls
 * back on what it read before the backup, never on anything newer.
 */
export function parseSnapshotVersions(key: string, body: Buffer): SnapshotVersions | string {
  const md5 = createHash('md5').update(body).digest('hex');
  if (!key.endsWith(`.${md5}`)) return `checksum of ${key} does not match its content`;
  let info: unknown;
  try {
    info = JSON.parse(body.toString('utf8'));
  } catch {
    return `${key} is not JSON`;
  }
  const objects = (info as { backup_objects?: unknown }).backup_objects;
  if (!objects || typeof objects !== 'object') return `${key} has no backup_objects`;
  const out: SnapshotVersions = {};
  for (const [table, t] of Object.entries(objects as Record<string, { partitions?: Record<string, { id?: unknown; version?: unknown }> }>)) {
    const parts: Record<string, [number, number]> = {};
    for (const [name, p] of Object.entries(t.partitions ?? {})) {
      const id = Number(p.id);
      const version = Number(p.version);
      if (!Number.isSafeInteger(id) || !Number.isSafeInteger(version)) return `${key}: partition ${table}.${name} has no integer id and version`;
      parts[name] = [id, version];
    }
    out[table] = parts;
  }
  return out;
}
