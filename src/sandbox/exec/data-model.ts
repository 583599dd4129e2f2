// Key models at load time, as a Doris tablet presents them after merge: AGGREGATE KEY rows with
// equal keys fold into one by each value column's function, UNIQUE KEY keeps the last row per key,
// DUPLICATE KEY keeps every row. COUNT(*), row counts and SHOW PARTITIONS see the merged rows.
import type { Cell, SimPartition, SimTable } from '../store.js';

function combine(fn: string | undefined, old: Cell, next: Cell): Cell {
  switch (fn) {
    case 'SUM': return old === null ? next : next === null ? old : String(Number(old) + Number(next));
    case 'MAX': return old === null ? next : next === null ? old : Number(next) > Number(old) ? next : old;
    case 'MIN': return old === null ? next : next === null ? old : Number(next) < Number(old) ? next : old;
    case 'REPLACE_IF_NOT_NULL': return next === null ? old : next;
    default: return next; // REPLACE, and functions the simulator does not model (HLL, BITMAP, ...)
  }
}

/** Adds one row to a partition under the table's key model. */
export function mergeRow(table: SimTable, p: SimPartition, row: Cell[]): void {
  if (table.keysType === 'DUP_KEYS') {
    p.rows.push(row);
    return;
  }
  const keyIdx = table.keyColumns.map((k) => table.columns.findIndex((c) => c.name === k));
  const same = (r: Cell[]) => keyIdx.every((i) => r[i] === row[i]);
  const at = p.rows.findIndex(same);
  if (at < 0) {
    p.rows.push(row);
    return;
  }
  if (table.keysType === 'UNIQUE_KEYS') {
    p.rows[at] = row;
    return;
  }
  const old = p.rows[at]!;
  p.rows[at] = old.map((cell, i) => (keyIdx.includes(i) ? cell : combine(table.columns[i]!.aggregation, cell, row[i] ?? null)));
}
