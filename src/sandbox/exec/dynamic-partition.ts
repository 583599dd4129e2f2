// Dynamic partitioning as Doris runs it (DynamicPartitionUtil, DynamicPartitionProperty,
// DynamicPartitionScheduler): the keys stored at CREATE, the 13 keys SHOW CREATE TABLE prints, and
// the scheduler that adds partitions from `start` to `end` around the clock and drops old ones.
import type { Engine } from '../engine.js';
import { dorisError } from '../errors.js';
import { ZONE_OFFSET_MINUTES } from '../format.js';
import { allocId, type SimTable } from '../store.js';
import { compareTuple, newPartition, overlapsAny } from './table-build.js';

const P = 'dynamic_partition.';
const MIN_START = '-2147483648';
/** Doris's default time zone (the simulator's clock zone). */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** FE config dynamic_partition_check_interval_seconds (default 600). */
const CHECK_INTERVAL_MS = 600_000;

/** Keys whose presence makes a table dynamic (DynamicPartitionUtil#checkInputDynamicPartitionProperties). */
const TRIGGERS = ['enable', 'time_unit', 'time_zone', 'prefix', 'start', 'end', 'buckets', 'create_history_partition', 'history_partition_num', 'reserved_history_periods'];

/**
 * The dynamic-partition keys as Doris stores them at CREATE: the defaults of enable, start,
 * buckets, time_zone, create_history_partition, history_partition_num and reserved_history_periods
 * filled in; hot_partition_num, storage_policy, storage_medium and replication only when given, the
 * replication always as `replication_allocation`. Other properties pass through unchanged.
 */
export function storedDynamicProperties(props: Record<string, string>, defaultBuckets: number): Record<string, string> {
  const given = (k: string) => props[P + k] !== undefined && props[P + k] !== '';
  if (!TRIGGERS.some(given)) return props;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (!k.startsWith(P)) out[k] = v;
  if (!given('time_unit')) throw dorisError('Must assign dynamic_partition.time_unit properties');
  if (!given('prefix')) throw dorisError('Must assign dynamic_partition.prefix properties');
  if (!given('end')) throw dorisError('Must assign dynamic_partition.end properties');
  const d = (k: string, fallback: string) => (out[P + k] = given(k) ? props[P + k]! : fallback);
  d('enable', 'true');
  out[P + 'time_unit'] = props[P + 'time_unit']!.toUpperCase();
  d('prefix', '');
  d('start', MIN_START);
  d('end', '');
  d('buckets', String(defaultBuckets));
  d('time_zone', DEFAULT_TIME_ZONE);
  d('create_history_partition', 'false');
  d('history_partition_num', '-1');
  d('reserved_history_periods', 'NULL');
  for (const k of ['hot_partition_num', 'start_day_of_week', 'start_day_of_month', 'storage_policy', 'storage_medium']) if (given(k)) out[P + k] = props[P + k]!;
  if (given('replication_allocation')) out[P + 'replication_allocation'] = props[P + 'replication_allocation']!;
  else if (given('replication_num')) out[P + 'replication_allocation'] = `tag.location.default: ${props[P + 'replication_num']}`;
  return out;
}

/**
 * The `dynamic_partition.*` lines of SHOW CREATE TABLE (DynamicPartitionProperty#getProperties):
 * 13 keys in Doris's order, defaults filled in, replication as the table's allocation when unset.
 */
export function printedDynamicProperties(t: SimTable): [string, string][] {
  const props = t.properties;
  if (props[P + 'time_unit'] === undefined) return [];
  const get = (k: string, fallback: string) => props[P + k] ?? fallback;
  const unit = get('time_unit', 'DAY').toUpperCase();
  const out: [string, string][] = [
    ['enable', get('enable', 'false')], ['time_unit', unit], ['time_zone', get('time_zone', DEFAULT_TIME_ZONE)], ['start', get('start', MIN_START)],
    ['end', get('end', '')], ['prefix', get('prefix', '')], ['replication_allocation', get('replication_allocation', props.replication_allocation ?? '')],
    ['buckets', get('buckets', String(t.distribution.buckets))], ['create_history_partition', get('create_history_partition', 'false')],
    ['history_partition_num', get('history_partition_num', '-1')], ['hot_partition_num', get('hot_partition_num', '0')],
    ['reserved_history_periods', get('reserved_history_periods', 'NULL')], ['storage_policy', get('storage_policy', '')],
  ];
  if (props[P + 'storage_medium']) out.push(['storage_medium', props[P + 'storage_medium']!]);
  if (unit === 'WEEK') out.push(['start_day_of_week', get('start_day_of_week', '1')]);
  if (unit === 'MONTH') out.push(['start_day_of_month', get('start_day_of_month', '1')]);
  return out.map(([k, v]) => [P + k, v]);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** [lower, upper) of the period `offset` units from the one holding `now`, as zone-local wall times (ms). */
function period(unit: string, now: number, offset: number): [number, number] {
  const local = new Date(now + ZONE_OFFSET_MINUTES * 60_000);
  const [y, m, d, h] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), local.getUTCHours()];
  const at = (yy: number, mm: number, dd: number, hh = 0) => Date.UTC(yy, mm, dd, hh);
  switch (unit) {
    case 'HOUR': return [at(y, m, d, h + offset), at(y, m, d, h + offset + 1)];
    case 'WEEK': {
      const monday = d - ((local.getUTCDay() + 6) % 7);
      return [at(y, m, monday + 7 * offset), at(y, m, monday + 7 * offset + 7)];
    }
    case 'MONTH': return [at(y, m + offset, 1), at(y, m + offset + 1, 1)];
    case 'YEAR': return [at(y + offset, 0, 1), at(y + offset + 1, 0, 1)];
    default: return [at(y, m, d + offset), at(y, m, d + offset + 1)];
  }
}

/** Partition name suffix by unit (DynamicPartitionUtil#getFormattedPartitionName). */
function suffix(unit: string, wall: number): string {
  const t = new Date(wall);
  const [y, m, d, h] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours()];
  if (unit === 'HOUR') return `${pad(y, 4)}${pad(m)}${pad(d)}${pad(h)}`;
  if (unit === 'MONTH') return `${pad(y, 4)}${pad(m)}`;
  if (unit === 'YEAR') return pad(y, 4);
  if (unit === 'WEEK') {
    const jan1 = Date.UTC(y, 0, 1);
    return `${pad(y, 4)}_${pad(Math.floor((wall - jan1) / (7 * 86_400_000)) + 1)}`;
  }
  return `${pad(y, 4)}${pad(m)}${pad(d)}`;
}

function boundText(type: string, wall: number): string {
  const t = new Date(wall);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  return type.startsWith('datetime') ? `${date} ${pad(t.getUTCHours())}:00:00` : date;
}

/** True when the table's scheduler would act on it now (enabled, one RANGE column, NORMAL). */
function isDynamic(t: SimTable): boolean {
  return t.type === 'OLAP' && t.state === 'NORMAL' && t.partitionType === 'RANGE' && t.partitionColumns.length === 1 && t.properties[P + 'enable'] === 'true';
}

/**
 * One scheduler pass over a table: adds the missing partitions from the first offset (start, or 0
 * without create_history_partition) to `end`, skipping any that would overlap an existing one,
 * and drops partitions wholly before `start` (never when start is unset).
 */
export function scheduleTable(sim: Engine, t: SimTable): boolean {
  if (!isDynamic(t)) return false;
  const p = (k: string) => t.properties[P + k];
  const unit = (p('time_unit') ?? 'DAY').toUpperCase();
  const column = t.columns.find((c) => c.name === t.partitionColumns[0]);
  if (!column) return false;
  const now = sim.clock.now();
  const start = Number(p('start') ?? MIN_START);
  const end = Number(p('end') ?? 0);
  const history = Number(p('history_partition_num') ?? -1);
  const first = p('create_history_partition') === 'true' ? (history === -1 ? start : Math.max(start, -history)) : 0;
  const buckets = Number(p('buckets') ?? t.distribution.buckets);
  const allocation = p('replication_allocation') ?? t.properties.replication_allocation ?? '';
  let changed = false;
  for (let offset = Math.max(first, -10_000); offset <= end; offset++) {
    const [lo, hi] = period(unit, now, offset);
    const name = `${p('prefix') ?? 'p'}${suffix(unit, lo)}`;
    if (t.partitions.some((x) => x.name === name)) continue;
    const item = { kind: 'range' as const, lower: [boundText(column.type, lo)], upper: [boundText(column.type, hi)] };
    if (overlapsAny(item, t.partitions.map((x) => x.item))) continue;
    const part = newPartition(sim, name, item, t, { storage_policy: '' }, allocation);
    part.buckets = buckets;
    part.tabletIdBase = allocId(sim.world, buckets);
    t.partitions.push(part);
    changed = true;
  }
  if (String(start) !== MIN_START) {
    const [limit] = period(unit, now, start);
    const bound = [boundText(column.type, limit)];
    const before = t.partitions.length;
    t.partitions = t.partitions.filter((x) => x.item.kind !== 'range' || x.item.upper === 'MAXVALUE' || compareTuple(x.item.upper, bound) > 0);
    changed ||= t.partitions.length !== before;
  }
  if (changed) t.partitions.sort((a, b) => (a.item.kind === 'range' && b.item.kind === 'range' ? compareTuple(a.item.lower, b.item.lower) : 0));
  return changed;
}

const lastRun = new WeakMap<Engine, number>();

/** Runs the scheduler over every dynamic table once per check interval of simulated time. */
export function runDynamicPartitionScheduler(sim: Engine): void {
  const now = sim.clock.now();
  const last = lastRun.get(sim);
  if (last !== undefined && now - last < CHECK_INTERVAL_MS) return;
  lastRun.set(sim, now);
  for (const db of Object.values(sim.world.databases)) {
    let touched = false;
    for (const t of Object.values(db.tables)) if (scheduleTable(sim, t)) touched = true;
    if (touched) sim.changed(db.name);
  }
}
