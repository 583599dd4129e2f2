// Turning parsed definitions into stored tables and partitions, with Doris's property rules.
import type { Engine } from '../engine.js';
import { dorisError } from '../errors.js';
import { minValueOf } from '../format.js';
import type { PartitionDef } from '../sql/parse-table.js';
import { allocId, replicaCount, type PartitionItem, type SimColumn, type SimDatabase, type SimPartition, type SimTable } from '../store.js';

export const DEFAULT_ALLOCATION = 'tag.location.default: 3';

/** `replication_num` → allocation form; validates against alive backends like CREATE does. */
export function resolveAllocation(sim: Engine, props: Record<string, string>, fallback: string): string {
  let allocation = fallback;
  if (props.replication_num !== undefined) {
    const n = Number(props.replication_num);
    if (!Number.isInteger(n) || n < 1 || n > 32767) throw dorisError('Replication num should between 1 and 32767');
    allocation = `tag.location.default: ${n}`;
  } else if (props.replication_allocation !== undefined) {
    allocation = props.replication_allocation;
  }
  const wanted = replicaCount(allocation);
  if (wanted > sim.world.backends.alive) {
    throw dorisError(
      `Failed to find enough backend, please check the replication num,replication tag and storage medium and avail capacity of backends or maybe all be on same host. Create failed replications: replication tag: {"location" : "default"}, replication num: ${wanted}, storage medium: HDD`,
    );
  }
  return allocation;
}

function compareValue(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareTuple(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareValue(a[i] ?? '', b[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

type RangeItem = Extract<PartitionItem, { kind: 'range' }>;
const compareUpper = (a: RangeItem['upper'], b: RangeItem['upper']): number =>
  a === 'MAXVALUE' ? (b === 'MAXVALUE' ? 0 : 1) : b === 'MAXVALUE' ? -1 : compareTuple(a, b);

/**
 * Fills in LESS THAN lower bounds one definition at a time, as Doris adds partitions: the lower
 * bound is the highest existing upper bound below the new upper bound (or the type's minimum),
 * so `[lo, hi)` and LESS THAN forms mix, and a LESS THAN that falls inside an existing range
 * overlaps it (the caller's overlap check then refuses it).
 */
export function resolveItems(defs: PartitionDef[], columns: SimColumn[], existing: PartitionItem[]): PartitionItem[] {
  const seen = [...existing];
  return defs.map((d) => {
    let item = d.item;
    if (!item) {
      const upper = d.lessThan ?? 'MAXVALUE';
      const below = seen
        .filter((i): i is RangeItem => i.kind === 'range')
        .map((i) => i.upper)
        .filter((u) => compareUpper(u, upper) < 0)
        .sort(compareUpper)
        .pop();
      item = { kind: 'range', lower: below === undefined || below === 'MAXVALUE' ? columns.map((col) => minValueOf(col.type)) : below, upper };
    }
    seen.push(item);
    return item;
  });
}

export function newPartition(sim: Engine, name: string, item: PartitionItem, table: Pick<SimTable, 'distribution' | 'properties'>, props: Record<string, string>, allocation: string): SimPartition {
  const policy = props.storage_policy ?? '';
  if (policy && !sim.world.storagePolicies[policy]) throw dorisError(`Storage policy does not exist. name: ${policy}`);
  const buckets = table.distribution.buckets;
  const now = sim.clock.now();
  return {
    id: allocId(sim.world),
    name,
    item,
    visibleVersion: 1,
    visibleVersionTime: now,
    rows: [],
    replicationAllocation: props.replication_num || props.replication_allocation ? resolveAllocation(sim, props, allocation) : allocation,
    storagePolicy: policy,
    cooled: false,
    buckets,
    tabletIdBase: allocId(sim.world, buckets),
  };
}

/** Whether a range item intersects any of `items` (list items: whether a value repeats). */
export function overlapsAny(item: PartitionItem, items: PartitionItem[]): boolean {
  return items.some((other) => {
    if (item.kind === 'range' && other.kind === 'range') {
      const before = item.upper !== 'MAXVALUE' && compareTuple(item.upper, other.lower) <= 0;
      const after = other.upper !== 'MAXVALUE' && compareTuple(other.upper, item.lower) <= 0;
      return !before && !after;
    }
    if (item.kind === 'list' && other.kind === 'list') return item.values.some((v) => other.values.some((w) => compareTuple(v, w) === 0));
    return false;
  });
}

/** Checks range overlap of a new item against existing ones (Doris refuses overlapping ranges; list items are not checked here). */
export function checkNoOverlap(items: PartitionItem[], item: PartitionItem, name: string): void {
  if (item.kind === 'range' && overlapsAny(item, items)) throw dorisError(`Range [${item.lower.join(', ')}, ${item.upper === 'MAXVALUE' ? 'MAXVALUE' : item.upper.join(', ')}) is intersected with range of partition ${name}`);
}

/** Properties Doris stores on every OLAP table, in SHOW CREATE TABLE order. */
export function defaultTableProperties(keysType: SimTable['keysType']): Record<string, string> {
  const props: Record<string, string> = {
    min_load_replica_num: '-1',
    is_being_synced: 'false',
    storage_medium: 'hdd',
    storage_format: 'V2',
    inverted_index_storage_format: 'V2',
    light_schema_change: 'true',
    disable_auto_compaction: 'false',
    enable_single_replica_compaction: 'false',
  };
  if (keysType === 'UNIQUE_KEYS') props.enable_unique_key_merge_on_write = 'true';
  return props;
}

/** A colocation group member list: tables of `db` that name `group`. */
export function colocateMembers(db: SimDatabase, group: string): SimTable[] {
  return Object.values(db.tables).filter((t) => t.properties.colocate_with === group);
}

export function checkColocate(db: SimDatabase, table: SimTable): void {
  const group = table.properties.colocate_with;
  if (!group) return;
  const peer = colocateMembers(db, group).find((t) => t.name !== table.name);
  if (!peer) return;
  if (peer.distribution.buckets !== table.distribution.buckets) throw dorisError(`Colocate tables must have same bucket num: ${peer.distribution.buckets}`);
  if (peer.distribution.columns.length !== table.distribution.columns.length) throw dorisError(`Colocate tables distribution columns size must be same: ${peer.distribution.columns.length}`);
}

/** Spreads a synthetic size (`sim.data_bytes`, per replica) evenly over the partitions. */
export function applySyntheticSize(table: SimTable, totalBytes: number): void {
  const n = table.partitions.length || 1;
  for (const p of table.partitions) p.syntheticBytes = Math.floor(totalBytes / n);
}
