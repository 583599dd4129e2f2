// Doris's "same schema" test for RESTORE onto an existing table (OlapTable#getSignature, master
// and 2.1): the table name and type; every index (the base index, named like the table, and each
// rollup) with its columns' name, type, key flag, nullability, aggregation and default; bloom-filter
// columns and fpp; the partition type and RANGE partition columns; for each partition on both
// sides its distribution and bucket count; inverted/ngram indexes. Kept apart from the rest of
// restore.ts (catch-up owns the in-place partition restore there).
import type { SimColumn, SimTable } from '../store.js';

const column = (c: SimColumn | undefined): string =>
  c ? [c.name, c.type, c.isKey, c.nullable, c.aggregation ?? 'NONE', c.defaultValue ?? ''].join('|') : '?';

/**
 * The signature of `t` as it is compared, `name` being the name Doris compares under: the snapshot's
 * table keeps its own name, so an alias onto an existing table never matches.
 */
export function tableSignature(t: SimTable, name: string, partitionNames: string[]): string {
  const parts: string[] = [name, t.type, t.keysType];
  const indexes = [{ name, columns: t.columns.map((c) => c.name) }, ...t.rollups.map((r) => ({ name: r.name, columns: r.columns }))].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const ix of indexes) parts.push(ix.name, ix.columns.map((n) => column(t.columns.find((c) => c.name === n))).join(','));
  const bf = t.properties.bloom_filter_columns;
  if (bf) parts.push(bf.split(',').map((s) => s.trim()).join(','), t.properties.bloom_filter_fpp ?? '0.05');
  parts.push(t.partitionType);
  if (t.partitionType === 'RANGE') parts.push(t.partitionColumns.map((n) => column(t.columns.find((c) => c.name === n))).join(','));
  for (const p of [...partitionNames].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
    const part = t.partitions.find((x) => x.name === p);
    parts.push(p, t.distribution.type);
    if (t.distribution.type === 'HASH') parts.push(t.distribution.columns.map((n) => column(t.columns.find((c) => c.name === n))).join(','), String(part?.buckets ?? t.distribution.buckets));
  }
  for (const ix of [...(t.indexes ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))) parts.push(ix.name, ix.type, ix.columns.join(','));
  return JSON.stringify(parts);
}

/** Partition names both tables have (OlapTable#getIntersectPartNamesWith). */
export const intersectPartitions = (a: SimTable, b: SimTable): string[] => a.partitions.filter((p) => b.partitions.some((x) => x.name === p.name)).map((p) => p.name);
