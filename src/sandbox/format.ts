// Value formats Doris uses in SHOW output (doris-facts.md Part A §0, §4).
import type { PartitionItem, SimColumn } from './store.js';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `900.000 B`, `1.400 KB`, `1024.000 GB`; zero is `0.000 ` (number, space, empty unit). */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '0.000 ';
  let value = bytes;
  let unit = 0;
  // Doris promotes only past a whole unit: exactly 1024 GB prints as `1024.000 GB`.
  while (value > 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(3)} ${UNITS[unit]}`;
}

/** Minutes east of UTC of the simulated cluster's time zone (Doris's default Asia/Shanghai). */
export const ZONE_OFFSET_MINUTES = 8 * 60;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function parts(ms: number) {
  const d = new Date(ms + ZONE_OFFSET_MINUTES * 60_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] as const;
}

let lastDateTime = { ms: Number.NaN, text: '' };

/** `yyyy-MM-dd HH:mm:ss` in the cluster's zone. */
export function formatDateTime(ms: number): string {
  // Catalog listings print the same few instants over and over (tables made by one seed).
  if (ms === lastDateTime.ms) return lastDateTime.text;
  const [y, mo, d, h, mi, s] = parts(ms);
  const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
  lastDateTime = { ms, text };
  return text;
}

/** `yyyy-MM-dd-HH-mm-ss`, the snapshot timestamp form. */
export function formatHyphenTime(ms: number): string {
  const [y, mo, d, h, mi, s] = parts(ms);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}-${pad(h)}-${pad(mi)}-${pad(s)}`;
}

const PRIMITIVE: Record<string, string> = {
  tinyint: 'TINYINT', smallint: 'SMALLINT', int: 'INT', integer: 'INT', bigint: 'BIGINT', largeint: 'LARGEINT',
  date: 'DATEV2', datev2: 'DATEV2', datetime: 'DATETIMEV2', datetimev2: 'DATETIMEV2',
  varchar: 'VARCHAR', char: 'CHAR', string: 'VARCHAR', boolean: 'BOOLEAN',
};

/** Doris's internal type name of a column type as printed in partition ranges. */
export function primitiveTypeName(type: string): string {
  const base = type.replace(/\(.*$/, '').toLowerCase();
  return PRIMITIVE[base] ?? base.toUpperCase();
}

/** The smallest value of a type, used as the implicit lower bound of the first LESS THAN partition. */
export function minValueOf(type: string): string {
  const t = primitiveTypeName(type);
  if (t === 'TINYINT') return '-128';
  if (t === 'SMALLINT') return '-32768';
  if (t === 'INT') return '-2147483648';
  if (t === 'BIGINT') return '-9223372036854775808';
  if (t === 'LARGEINT') return '-170141183460469231731687303715884105728';
  if (t === 'DATEV2') return '0000-01-01';
  if (t === 'DATETIMEV2') return '0000-01-01 00:00:00';
  return '';
}

export function maxValueOf(type: string): string {
  const t = primitiveTypeName(type);
  if (t === 'INT') return '2147483647';
  if (t === 'BIGINT') return '9223372036854775807';
  if (t === 'DATEV2') return '9999-12-31';
  if (t === 'DATETIMEV2') return '9999-12-31 23:59:59';
  return 'MAXVALUE';
}

/** The `[INT, DATEV2]` part of a range text, for the partition columns. */
export const typesText = (columns: SimColumn[]): string => `[${columns.map((c) => primitiveTypeName(c.type)).join(', ')}]`;

/**
 * SHOW PARTITIONS `Range` text: `[types: [INT]; keys: [1]; ..types: [INT]; keys: [10]; )`.
 * `types` (typesText of the columns) may be passed in when one table's partitions are listed.
 */
export function rangeText(item: PartitionItem, columns: SimColumn[], types = typesText(columns)): string {
  if (item.kind === 'none') return '';
  if (item.kind === 'list') return item.values.map((v) => `[types: ${types}; keys: [${v.join(', ')}]; ]`).join(',');
  const upper = item.upper === 'MAXVALUE' ? columns.map((c) => maxValueOf(c.type)) : item.upper;
  return `[types: ${types}; keys: [${item.lower.join(', ')}]; ..types: ${types}; keys: [${upper.join(', ')}]; )`;
}

/** The partition clause of SHOW CREATE TABLE: `PARTITION p VALUES [("1"), ("10"))`. */
export function partitionDdl(name: string, item: PartitionItem, extra = ''): string {
  const tuple = (vals: string[]) => `(${vals.map((v) => `"${v}"`).join(', ')})`;
  if (item.kind === 'list') return `PARTITION ${name} VALUES IN (${item.values.map(tuple).join(',')})${extra}`;
  if (item.kind === 'range') {
    const upper = item.upper === 'MAXVALUE' ? '(MAXVALUE)' : tuple(item.upper);
    return `PARTITION ${name} VALUES [${tuple(item.lower)}, ${upper})${extra}`;
  }
  return '';
}
