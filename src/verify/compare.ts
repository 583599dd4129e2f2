// Source vs target for everything a plan migrated. Pure: takes what collect.ts observed on both
// clusters and returns the differences. Changes Doris makes on purpose (the replication the plan
// asked for, partitions a dynamic-partition scheduler adds later) are not differences.
import type { Catalog, Database, Table } from '../catalog/model.js';
import { capabilitiesOf, versionString } from '../doris/capabilities.js';
import type { Plan } from '../plan/schema.js';
import { sameAllocation } from '../doris/replica-allocation.js';
import type { Difference, NotChecked, VerifyLevel } from './model.js';
import type { ScopeTable, VerifyScope } from './scope.js';

/** One cluster as collect.ts saw it. */
export interface Observed {
  catalog: Catalog;
  /** `rowKey(db, table)` (whole table) or `rowKey(db, table, partition)` -> COUNT(*). */
  rows: Map<string, number>;
  /** `rowKey(db, table)` -> synchronous MV (rollup) names, sorted. */
  rollups: Map<string, string[]>;
}

export const rowKey = (db: string, table: string, partition?: string): string => [db, table, ...(partition === undefined ? [] : [partition])].join('\u0000');

/** Partitions to count: the migrated ones on `full` or when only some were migrated, else none (whole table). */
export function countedPartitions(t: ScopeTable, source: Table | undefined, level: VerifyLevel): string[] | undefined {
  if (t.partitions) return t.partitions;
  if (level === 'full' && source && source.partitionType !== 'UNPARTITIONED') return source.partitions.map((p) => p.name);
  return undefined;
}

const columnsText = (t: Table): string => t.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(', ');
const keyText = (t: Table): string => `${t.keyModel ?? '?'} KEY(${t.keyColumns.join(', ')})`;
const squash = (s: string | undefined): string => (s ?? '').replace(/\s+/g, '');

export function compareMigration(plan: Plan, scope: VerifyScope, source: Observed, target: Observed, level: VerifyLevel): Difference[] {
  const out: Difference[] = [];
  const db = (c: Catalog, name: string): Database | undefined => c.databases.find((d) => d.name === name);
  // Range text is comparable only when both sides read it the same way (information_schema vs SHOW PARTITIONS).
  const rangesComparable = capabilitiesOf(source.catalog.cluster.version).partitionsInfoSchema === capabilitiesOf(target.catalog.cluster.version).partitionsInfoSchema;

  const missingDbs = new Set<string>();
  for (const targetDb of new Set(scope.databases.values())) {
    if (!db(target.catalog, targetDb)) {
      missingDbs.add(targetDb);
      out.push({ object: targetDb, aspect: 'missing', expected: 'database', actual: 'no such database on the target' });
    }
  }

  for (const t of scope.tables) {
    if (missingDbs.has(t.targetDatabase)) continue;
    const object = `${t.targetDatabase}.${t.targetName}`;
    const srcDb = db(source.catalog, t.sourceDatabase);
    const dstDb = db(target.catalog, t.targetDatabase)!;
    const diff = (aspect: Difference['aspect'], expected: string, actual: string, at = object): void => void out.push({ object: at, aspect, expected, actual });

    if (srcDb?.views.some((v) => v.name === t.name)) {
      if (!dstDb.views.some((v) => v.name === t.targetName)) diff('view', 'view', dstDb.tables.some((x) => x.name === t.targetName) ? 'a table, not a view' : 'no such view');
      continue;
    }
    const src = srcDb?.tables.find((x) => x.name === t.name);
    if (!src) {
      diff('missing', `${t.sourceDatabase}.${t.name} on the source`, 'gone from the source since the plan was made');
      continue;
    }
    const dst = dstDb.tables.find((x) => x.name === t.targetName);
    if (!dst) {
      diff('missing', 'table', dstDb.views.some((v) => v.name === t.targetName) ? 'a view, not a table' : 'no such table');
      continue;
    }

    if (columnsText(src) !== columnsText(dst)) diff('columns', columnsText(src), columnsText(dst));
    if (keyText(src) !== keyText(dst)) diff('key-model', keyText(src), keyText(dst));
    const [sb, tb] = [src.distribution?.buckets, dst.distribution?.buckets];
    if (typeof sb === 'number' && typeof tb === 'number' && sb > 0 && tb > 0 && sb !== tb) diff('buckets', `${sb} buckets`, `${tb} buckets`);
    const [sr, tr] = [source.rollups.get(rowKey(t.sourceDatabase, t.name)), target.rollups.get(rowKey(t.targetDatabase, t.targetName))];
    if (sr && tr && sr.join(',') !== tr.join(',')) diff('rollups', sr.join(', ') || 'none', tr.join(', ') || 'none');

    // Partitions: every migrated one is there with the same range; extra ones matter only when the
    // whole table came over and no dynamic-partition scheduler adds partitions of its own.
    const migrated = t.partitions ?? src.partitions.map((p) => p.name);
    const dstParts = new Map(dst.partitions.map((p) => [p.name, p]));
    const present = migrated.filter((name) => dstParts.has(name));
    // A running dynamic-partition scheduler adds empty partitions on the source after the backup
    // (and the target's adds its own on its next pass): only one holding data can be missing.
    const scheduled = !t.partitions && src.dynamicPartition?.enable === 'true';
    for (const name of migrated) {
      const s = src.partitions.find((p) => p.name === name);
      const d = dstParts.get(name);
      if (!d && scheduled && s && !s.rows && !s.dataBytes) continue;
      if (!d) diff('partitions', `partition ${name}${s?.range ? ` ${s.range}` : ''}`, 'missing', `${object}.${name}`);
      else if (rangesComparable && s && squash(s.range) !== squash(d.range)) diff('partitions', `range ${s.range}`, `range ${d.range}`, `${object}.${name}`);
    }
    if (!t.partitions && !src.dynamicPartition) {
      const extra = dst.partitions.filter((p) => !migrated.includes(p.name)).map((p) => p.name);
      if (extra.length) diff('partitions', `only the source's partitions`, `also ${extra.join(', ')}`);
    }

    for (const [aspectKey, expected, actual] of propertyChecks(plan, src, dst)) diff('property', `${aspectKey} ${expected}`, `${aspectKey} ${actual}`);

    const counted = countedPartitions(t, src, level);
    if (!counted) {
      const [a, b] = [source.rows.get(rowKey(t.sourceDatabase, t.name)), target.rows.get(rowKey(t.targetDatabase, t.targetName))];
      if (a !== undefined && b !== undefined && a !== b) diff('rows', `${a} rows`, `${b} rows`);
    } else {
      for (const p of counted.filter((name) => present.includes(name))) {
        const [a, b] = [source.rows.get(rowKey(t.sourceDatabase, t.name, p)), target.rows.get(rowKey(t.targetDatabase, t.targetName, p))];
        if (a !== undefined && b !== undefined && a !== b) diff('rows', `${a} rows`, `${b} rows`, `${object}.${p}`);
      }
    }
  }

  for (const mv of scope.mvs) {
    const d = db(target.catalog, mv.targetDatabase);
    if (d && !d.asyncMaterializedViews.some((m) => m.name === mv.name)) out.push({ object: `${mv.targetDatabase}.${mv.name}`, aspect: 'missing', expected: 'async materialized view', actual: 'no such materialized view' });
  }
  return out;
}

/** [property, expected, actual] for the properties that must match once follow-ups are done. */
function propertyChecks(plan: Plan, src: Table, dst: Table): [string, string, string][] {
  const out: [string, string, string][] = [];
  const r = plan.options.replication;
  if ('num' in r) {
    if (dst.replicationNum !== undefined && dst.replicationNum !== r.num) out.push(['replication_num', String(r.num), String(dst.replicationNum)]);
  } else if ('allocation' in r) {
    if (dst.replicationAllocation !== undefined && !sameAllocation(dst.replicationAllocation, r.allocation)) out.push(['replication_allocation', r.allocation, dst.replicationAllocation]);
  } else if (src.replicationAllocation !== undefined && dst.replicationAllocation !== undefined && !sameAllocation(src.replicationAllocation, dst.replicationAllocation)) {
    out.push(['replication_allocation', src.replicationAllocation, dst.replicationAllocation]);
  }
  if (src.colocateGroup !== dst.colocateGroup && src.colocateGroup) out.push(['colocate_with', src.colocateGroup, dst.colocateGroup ?? '(none)']);
  const keys = new Set([...Object.keys(src.dynamicPartition ?? {}), ...Object.keys(dst.dynamicPartition ?? {})]);
  for (const k of keys) {
    const v = src.dynamicPartition?.[k];
    const got = dst.dynamicPartition?.[k];
    // Partitions the scheduler adds get this replication: the plan's, like the table's. Doris
    // prints the table's allocation here when the key was never set, the kept source value when it was.
    const planned = k === 'replication_num' || k === 'replication_allocation' ? plannedReplication(r, k) : undefined;
    if (planned !== undefined) {
      if (got !== undefined && (k === 'replication_num' ? got !== planned : !sameAllocation(got, planned))) out.push([`dynamic_partition.${k}`, planned, got]);
    } else if (!sameDynamicValue(k, v, got)) out.push([`dynamic_partition.${k}`, v ?? '(not set)', got ?? '(not set)']);
  }
  return out;
}

/**
 * Defaults of the dynamic-partition keys Doris may store or print (DynamicPartitionProperty): the
 * stored map (table_properties) omits some that SHOW CREATE TABLE prints, so a key absent on one
 * side means its default. Keys whose default depends on the cluster or table (time_zone, buckets,
 * replication) are only compared when both sides have them.
 */
const DYNAMIC_DEFAULTS: Record<string, string> = {
  start: '-2147483648', create_history_partition: 'false', history_partition_num: '-1', hot_partition_num: '0',
  reserved_history_periods: 'NULL', storage_policy: '', storage_medium: '', start_day_of_week: '1', start_day_of_month: '1',
};

function sameDynamicValue(key: string, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) {
    const fallback = DYNAMIC_DEFAULTS[key];
    if (fallback === undefined) return true;
    return (a ?? fallback).toUpperCase() === (b ?? fallback).toUpperCase();
  }
  return key === 'replication_allocation' ? sameAllocation(a, b) : a.toUpperCase() === b.toUpperCase();
}

/** The plan's replication written as `key` would show it; undefined when the plan keeps the source's. */
function plannedReplication(r: Plan['options']['replication'], key: 'replication_num' | 'replication_allocation'): string | undefined {
  if ('num' in r) return key === 'replication_num' ? String(r.num) : `tag.location.default: ${r.num}`;
  if ('allocation' in r) return key === 'replication_allocation' ? r.allocation : String(r.allocation.split(',').reduce((n, part) => n + (Number(part.split(':')[1]) || 0), 0));
  return undefined;
}

/**
 * What the comparison above could not look at on these clusters: colocation needs ADMIN on both
 * (SHOW PROC '/colocation_group'); replication needs the table's allocation from either
 * table_properties or SHOW CREATE TABLE.
 */
export function uncheckedAspects(scope: VerifyScope, source: Observed, target: Observed): NotChecked[] {
  const out: NotChecked[] = [];
  const lacking = (['source', 'target'] as const).filter((side) => !(side === 'source' ? source : target).catalog.cluster.isAdmin);
  if (lacking.length) out.push({ object: '*', aspect: 'property', reason: `colocate_with: SHOW PROC '/colocation_group' needs ADMIN, which the ${lacking.join(' and ')} user lacks` });
  for (const t of scope.tables) {
    const dst = target.catalog.databases.find((d) => d.name === t.targetDatabase)?.tables.find((x) => x.name === t.targetName);
    if (!dst || dst.kind !== 'olap') continue;
    if (dst.replicationAllocation === undefined && dst.replicationNum === undefined && !dst.partitions.some((p) => p.replicationNum !== undefined)) {
      out.push({ object: `${t.targetDatabase}.${t.targetName}`, aspect: 'property', reason: `replication: Doris ${versionString(target.catalog.cluster.version)} reported no replica allocation for the table` });
    }
  }
  return out;
}

