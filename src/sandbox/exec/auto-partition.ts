// AUTO PARTITION (2.1+): the partition an INSERT needs is created on the way (PartitionExprUtil):
// RANGE by date_trunc to the unit, named `p<yyyyMMddHHmmss>` of its start; LIST by value, named
// `p` + each value followed by its length, non-alphanumerics as hex code points.
import type { Engine } from '../engine.js';
import { dorisError } from '../errors.js';
import type { Cell, SimPartition, SimTable } from '../store.js';
import { newPartition } from './table-build.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** [start, end) of the `unit` period holding a `yyyy-MM-dd[ HH:mm:ss]` value, as UTC wall-clock ms. */
function truncated(value: string, unit: string): [number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(value);
  if (!m) throw dorisError(`Invalid date value: ${value}`);
  const [y, mo, d, h] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0)];
  switch (unit) {
    case 'year': return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
    case 'quarter': return [Date.UTC(y, mo - (mo % 3), 1), Date.UTC(y, mo - (mo % 3) + 3, 1)];
    case 'month': return [Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1)];
    case 'week': {
      const day = new Date(Date.UTC(y, mo, d)).getUTCDay();
      const monday = d - ((day + 6) % 7);
      return [Date.UTC(y, mo, monday), Date.UTC(y, mo, monday + 7)];
    }
    case 'hour': return [Date.UTC(y, mo, d, h), Date.UTC(y, mo, d, h + 1)];
    default: return [Date.UTC(y, mo, d), Date.UTC(y, mo, d + 1)];
  }
}

function text(ms: number, withTime: boolean): string {
  const t = new Date(ms);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  return withTime ? `${date} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}` : date;
}

function listName(values: Cell[]): string {
  const joined = values.map((v) => (v === null ? 'X' : `${v}${v.length}`)).join('');
  let out = joined.startsWith('-') ? '_' : '';
  for (const ch of joined) out += /[A-Za-z0-9]/.test(ch) ? ch : ch.codePointAt(0)!.toString(16);
  return `p${out}`;
}

/** Creates (and adds) the partition `row` needs in an AUTO PARTITION table. */
export function autoPartitionFor(sim: Engine, table: SimTable, row: Cell[]): SimPartition | undefined {
  const values = table.partitionColumns.map((n) => row[table.columns.findIndex((c) => c.name === n)] ?? null);
  let part: SimPartition;
  if (table.partitionType === 'RANGE') {
    const value = values[0];
    if (value === null || value === undefined) throw dorisError("Can't create partition for NULL Range");
    const type = table.columns.find((c) => c.name === table.partitionColumns[0])?.type ?? 'date';
    const [lo, hi] = truncated(value, table.autoPartition?.unit ?? 'day');
    const name = `p${text(lo, true).replace(/\D/g, '')}`;
    const withTime = type.startsWith('datetime');
    part = newPartition(sim, name, { kind: 'range', lower: [text(lo, withTime)], upper: [text(hi, withTime)] }, table, { storage_policy: '' }, table.properties.replication_allocation ?? '');
  } else if (table.partitionType === 'LIST') {
    part = newPartition(sim, listName(values), { kind: 'list', values: [values.map((v) => v ?? '')] }, table, { storage_policy: '' }, table.properties.replication_allocation ?? '');
  } else return undefined;
  const existing = table.partitions.find((p) => p.name === part.name);
  if (existing) return existing;
  table.partitions.push(part);
  return part;
}
