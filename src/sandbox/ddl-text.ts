// SHOW CREATE TABLE / VIEW / MATERIALIZED VIEW text in Doris's shape (doris-facts.md Part A §2).
import { printedDynamicProperties } from './exec/dynamic-partition.js';
import { partitionDdl } from './format.js';
import type { SimColumn, SimTable } from './store.js';

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const KEY_CLAUSE = { DUP_KEYS: 'DUPLICATE KEY', UNIQUE_KEYS: 'UNIQUE KEY', AGG_KEYS: 'AGGREGATE KEY' } as const;

function columnDdl(col: SimColumn): string {
  let s = `  ${q(col.name)} ${col.type}`;
  if (col.aggregation) s += ` ${col.aggregation}`;
  s += col.nullable ? ' NULL' : ' NOT NULL';
  if (col.defaultValue !== undefined) s += col.defaultValue === null ? ' DEFAULT NULL' : ` DEFAULT "${col.defaultValue}"`;
  if (col.comment) s += ` COMMENT '${col.comment.replace(/'/g, "\\'")}'`;
  return s;
}

/** Property order: allocation first, then Doris's stored keys, then the rest as set. */
function propertiesDdl(props: Record<string, string>): string {
  const lines = Object.entries(props).map(([k, v]) => `"${k}" = "${v.replace(/"/g, '\\"')}"`);
  return `PROPERTIES (\n${lines.join(',\n')}\n)`;
}

/**
 * The partition head as Doris prints it (RangePartitionInfo / ListPartitionInfo#toSql): RANGE
 * has no space before its column list, LIST has one; AUTO RANGE prints its date_trunc expression.
 */
function partitionByText(t: SimTable): string {
  const cols = t.partitionColumns.map(q).join(', ');
  if (t.partitionType === 'RANGE') {
    if (t.autoPartition) return `AUTO PARTITION BY RANGE (date_trunc(${cols}, '${t.autoPartition.unit ?? 'day'}'))`;
    return `PARTITION BY RANGE(${cols})`;
  }
  return `${t.autoPartition ? 'AUTO ' : ''}PARTITION BY LIST (${cols})`;
}

export function createTableText(t: SimTable): string {
  // INDEX definitions follow the columns inside the parentheses, as Doris prints them.
  const cols = [...t.columns.map(columnDdl), ...(t.indexes ?? []).map((ix) => `  INDEX ${ix.name} (${ix.columns.map(q).join(',')}) USING ${ix.type} COMMENT ''`)].join(',\n');
  if (t.type !== 'OLAP') {
    const props = t.engineProperties ?? {};
    return `CREATE EXTERNAL TABLE ${q(t.name)} (\n${cols}\n) ENGINE=${t.type === 'MYSQL' ? 'MYSQL' : t.type}\nCOMMENT '${t.comment}'\n${propertiesDdl(props)};`;
  }
  const parts: string[] = [`CREATE TABLE ${q(t.name)} (\n${cols}\n) ENGINE=OLAP`, `${KEY_CLAUSE[t.keysType]}(${t.keyColumns.map(q).join(', ')})`, `COMMENT '${t.comment}'`];
  if (t.partitionType !== 'UNPARTITIONED') {
    const defs = t.partitions.map((p) => partitionDdl(p.name, p.item, p.storagePolicy && p.storagePolicy !== t.properties.storage_policy ? ` ("storage_policy" = "${p.storagePolicy}")` : ''));
    parts.push(`${partitionByText(t)}\n(${defs.join(',\n')})`);
  }
  const d = t.distribution;
  const buckets = d.auto ? 'BUCKETS AUTO' : `BUCKETS ${d.buckets}`;
  parts.push(d.type === 'HASH' ? `DISTRIBUTED BY HASH(${d.columns.map(q).join(', ')}) ${buckets}` : `DISTRIBUTED BY RANDOM ${buckets}`);
  // Stored dynamic-partition keys are printed in Doris's fuller form, after the others.
  const stored = Object.entries(t.properties).filter(([k]) => !k.startsWith('dynamic_partition.'));
  parts.push(`${propertiesDdl(Object.fromEntries([...stored, ...printedDynamicProperties(t)]))};`);
  return parts.join('\n');
}

export function createViewText(t: SimTable): string {
  return `CREATE VIEW ${q(t.name)} AS ${t.query ?? ''};`;
}

export function createMvText(t: SimTable): string {
  return `CREATE MATERIALIZED VIEW ${q(t.name)}\n${t.mvClauses ?? ''}\nAS ${t.query ?? ''}`;
}
