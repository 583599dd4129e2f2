// ALTER TABLE clauses that change a table's shape or swap its partitions: ADD / DROP COLUMN
// (light schema change, instant as on Doris 2.0+ tables) and REPLACE PARTITION ... WITH
// TEMPORARY PARTITION, after which the formal partition is the temporary one under the formal
// name, with the temporary one's PartitionId (doris-facts.md Part A §4).
import type { Ctx } from '../engine.js';
import { dorisError } from '../errors.js';
import type { Cursor } from '../sql/cursor.js';
import { parseColumn } from '../sql/parse-table.js';
import type { SimDatabase, SimTable } from '../store.js';
import { checkColumnName } from '../name-format.js';

function addColumn(c: Cursor, ctx: Ctx, table: SimTable): void {
  const col = parseColumn(c);
  checkColumnName(ctx, col.name);
  if (table.columns.some((x) => x.name.toLowerCase() === col.name.toLowerCase())) throw dorisError(`Can not add column which already exists in base table: ${col.name}`);
  let at = table.columns.length;
  if (c.accept('FIRST')) at = 0;
  else if (c.accept('AFTER')) {
    const after = c.ident();
    const i = table.columns.findIndex((x) => x.name === after);
    if (i < 0) throw dorisError(`Column[${after}] does not exists`);
    at = i + 1;
  }
  table.columns.splice(at, 0, col);
  // Existing rows read the new column's default.
  for (const p of [...table.partitions, ...table.tempPartitions]) for (const row of p.rows) row.splice(at, 0, col.defaultValue ?? null);
}

function dropColumn(c: Cursor, table: SimTable): void {
  const name = c.ident();
  const i = table.columns.findIndex((x) => x.name.toLowerCase() === name.toLowerCase());
  if (i < 0) throw dorisError(`Column does not exists: ${name}`);
  const col = table.columns[i]!;
  if (col.isKey || table.partitionColumns.includes(col.name) || table.distribution.columns.includes(col.name)) throw dorisError(`Can not drop key column ${col.name}`);
  table.columns.splice(i, 1);
  for (const p of [...table.partitions, ...table.tempPartitions]) for (const row of p.rows) row.splice(i, 1);
}

function replacePartitions(c: Cursor, table: SimTable): void {
  const formal = c.list(() => c.ident());
  c.expect('WITH', 'TEMPORARY', 'PARTITION');
  const temps = c.list(() => c.ident());
  const props = c.accept('PROPERTIES') ? c.properties() : {};
  for (const n of formal) if (!table.partitions.some((p) => p.name === n)) throw dorisError(`Partition[${n}] does not exist`);
  for (const n of temps) if (!table.tempPartitions.some((p) => p.name === n)) throw dorisError(`Temp partition[${n}] does not exist`);
  const keepTempNames = (props.use_temp_partition_name ?? 'false').toLowerCase() === 'true';
  const incoming = temps.map((n) => table.tempPartitions.find((p) => p.name === n)!);
  // Same number of partitions and no explicit request: the temporary ones take the formal names.
  if (!keepTempNames && formal.length === temps.length) incoming.forEach((p, i) => (p.name = formal[i]!));
  const at = table.partitions.findIndex((p) => formal.includes(p.name));
  const kept = table.partitions.filter((p) => !formal.includes(p.name));
  kept.splice(Math.min(at, kept.length), 0, ...incoming);
  table.partitions = kept;
  table.tempPartitions = table.tempPartitions.filter((p) => !incoming.includes(p));
}

/** Handles one clause if it is one of these (consuming it) and says whether it did. */
export function alterPartitionOrSchema(c: Cursor, ctx: Ctx, _db: SimDatabase, table: SimTable): boolean {
  if (c.accept('ADD', 'COLUMN')) addColumn(c, ctx, table);
  else if (c.accept('DROP', 'COLUMN')) dropColumn(c, table);
  else if (c.accept('REPLACE', 'PARTITION')) replacePartitions(c, table);
  else return false;
  return true;
}
