// What changed in one table since the versions the target holds were captured: partitions whose
// version grew, replaced ones (a new PartitionId under the same name: INSERT OVERWRITE, TRUNCATE,
// REPLACE PARTITION), added and dropped ones (doris-facts.md Part A §4). New data is the only
// thing a version says; compaction never moves it. Pure.
import type { Partition } from '../catalog/model.js';
import type { CatchUpChange } from './schema.js';

export interface TableDiff {
  /** Partitions to copy again or for the first time, in the source's order. */
  copy: string[];
  /** Partitions the source no longer has. */
  dropped: string[];
  /** Partitions unchanged since their capture, with the id and version the target holds. */
  unchanged: Record<string, [number, number]>;
  changes: CatchUpChange[];
}

export function diffTable(object: string, known: Record<string, [number, number]>, live: Partition[]): TableDiff {
  const diff: TableDiff = { copy: [], dropped: [], unchanged: {}, changes: [] };
  const liveNames = new Set(live.map((p) => p.name));
  for (const p of live) {
    const held = known[p.name];
    const id = p.id ?? -1;
    const version = p.visibleVersion ?? -1;
    const where = `${object}.${p.name}`;
    if (!held) {
      diff.copy.push(p.name);
      diff.changes.push({ object: where, change: 'added', detail: 'new on the source' });
    } else if (held[0] !== id) {
      diff.copy.push(p.name);
      diff.changes.push({ object: where, change: 'replaced', detail: `PartitionId ${held[0]} -> ${id} (overwritten, truncated or replaced)` });
    } else if (version > held[1]) {
      diff.copy.push(p.name);
      diff.changes.push({ object: where, change: 'changed', detail: `version ${held[1]} -> ${version}` });
    } else diff.unchanged[p.name] = held;
  }
  for (const name of Object.keys(known)) {
    if (liveNames.has(name)) continue;
    diff.dropped.push(name);
    diff.changes.push({ object: `${object}.${name}`, change: 'dropped', detail: 'no longer on the source' });
  }
  return diff;
}
