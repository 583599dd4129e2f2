// Cuts a database's tables into backup jobs under a size budget; a table bigger than the budget
// is split by partitions. Deterministic: tables in name order. Pure.
import type { Table } from '../catalog/model.js';

export interface Batch {
  tables: { name: string; partitions?: string[] }[];
  bytes: number;
}

/** `keepWhole`: tables never split by partitions, whatever their size (e.g. colocated ones restored with reserve_colocate). */
export function batchTables(tables: Table[], budget: number, keepWhole: (t: Table) => boolean = () => false): Batch[] {
  const batches: Batch[] = [];
  let current: Batch = { tables: [], bytes: 0 };
  const flush = () => {
    if (current.tables.length) batches.push(current);
    current = { tables: [], bytes: 0 };
  };
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (t.dataBytes > budget && t.partitions.length > 1 && !keepWhole(t)) {
      // Too big for one job: its partitions, in order, in jobs of their own.
      flush();
      let part: Batch = { tables: [], bytes: 0 };
      let names: string[] = [];
      for (const p of t.partitions) {
        if (names.length && part.bytes + p.dataBytes > budget) {
          batches.push({ tables: [{ name: t.name, partitions: names }], bytes: part.bytes });
          part = { tables: [], bytes: 0 };
          names = [];
        }
        names.push(p.name);
        part.bytes += p.dataBytes;
      }
      if (names.length) batches.push({ tables: [{ name: t.name, partitions: names }], bytes: part.bytes });
      continue;
    }
    if (current.tables.length && current.bytes + t.dataBytes > budget) flush();
    current.tables.push({ name: t.name });
    current.bytes += t.dataBytes;
  }
  flush();
  return batches;
}
