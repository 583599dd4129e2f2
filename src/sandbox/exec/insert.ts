// INSERT INTO ... VALUES: rows are routed to partitions by range or list; each insert is one
// load transaction, so every partition it touched gets a new visible version.
// INSERT OVERWRITE TABLE t [PARTITION (...)] VALUES: Doris loads into temporary partitions and
// then swaps them in for the named partitions (every partition when none is named), so each
// overwritten partition comes back under a new PartitionId, at version 1 plus the load's commit
// where it received rows (doris-facts.md Part A §4 "Detecting change since a point").
import { ok, type Engine, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { allocId, type Cell, type SimPartition, type SimTable } from '../store.js';
import { autoPartitionFor } from './auto-partition.js';
import { mergeRow } from './data-model.js';
import { compareTuple } from './table-build.js';

function route(table: SimTable, row: Cell[], partitions: SimPartition[]): SimPartition | undefined {
  if (table.partitionType === 'UNPARTITIONED') return partitions[0];
  const key = table.partitionColumns.map((n) => row[table.columns.findIndex((c) => c.name === n)] ?? '');
  return partitions.find((p) => {
    if (p.item.kind === 'range') return compareTuple(key, p.item.lower) >= 0 && (p.item.upper === 'MAXVALUE' || compareTuple(key, p.item.upper) < 0);
    if (p.item.kind === 'list') return p.item.values.some((v) => compareTuple(key, v) === 0);
    return false;
  });
}

/** The temporary partition an overwrite loads into, swapped in under the formal one's name. */
function replacement(sim: Engine, p: SimPartition, now: number): SimPartition {
  const fresh: SimPartition = { ...p, id: allocId(sim.world), rows: [], visibleVersion: 1, visibleVersionTime: now, tabletIdBase: allocId(sim.world, p.buckets), cooled: false };
  delete fresh.syntheticBytes;
  return fresh;
}

export const insert: StatementHandler = {
  name: 'INSERT',
  match: (c) => c.at('INSERT'),
  run(c, { sim, session }) {
    c.expect('INSERT');
    const overwrite = !c.accept('INTO');
    if (overwrite) c.expect('OVERWRITE', 'TABLE');
    const { db, table } = sim.table(c.qualified(), session);
    sim.requireDbPriv(session, db.name, 'LOAD');
    if (table.type !== 'OLAP') throw dorisError(`Only support insert into olap table: ${table.name}`);
    if (table.state !== 'NORMAL') throw dorisError(`Table[${table.name}]'s state is ${table.state}, cannot load`);
    let target = table.partitions;
    if (c.accept('PARTITION')) {
      const names = c.list(() => c.ident());
      target = table.partitions.filter((p) => names.includes(p.name));
    }
    const columns = c.atPunct('(') ? c.list(() => c.ident()) : table.columns.map((col) => col.name);
    c.expect('VALUES');
    const valueRows: Cell[][] = [];
    do valueRows.push(c.list(() => (c.accept('NULL') ? null : c.literal())));
    while (c.acceptPunct(','));
    c.end();
    const now = sim.clock.now();
    const fresh = overwrite ? new Map(target.map((p) => [p, replacement(sim, p, now)])) : undefined;
    if (fresh) target = [...fresh.values()];
    const touched = new Set<SimPartition>();
    const routed: [SimPartition, Cell[]][] = [];
    for (const values of valueRows) {
      if (values.length !== columns.length) throw dorisError(`Column count doesn't match value count`);
      const row: Cell[] = table.columns.map((col) => {
        const i = columns.indexOf(col.name);
        return i >= 0 ? values[i]! : (col.defaultValue ?? null);
      });
      const p = route(table, row, target) ?? (table.autoPartition && target === table.partitions ? autoPartitionFor(sim, table, row) : undefined);
      if (!p) throw dorisError(`Insert has filtered data in strict mode. Reason: no partition for this tuple. tuple=${JSON.stringify(row)}`);
      routed.push([p, row]);
    }
    // Every row found its partition: only now do the overwritten partitions swap in.
    if (fresh) table.partitions = table.partitions.map((p) => fresh.get(p) ?? p);
    for (const [p, row] of routed) {
      mergeRow(table, p, row);
      touched.add(p);
    }
    for (const p of touched) {
      p.visibleVersion++;
      p.visibleVersionTime = now;
    }
    table.updateTime = now;
    sim.changed(db.name);
    return ok(routed.length);
  },
};
