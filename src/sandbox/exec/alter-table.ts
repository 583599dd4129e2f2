// ALTER TABLE: SET properties, ADD/DROP [TEMPORARY] PARTITION, ADD ROLLUP, RENAME (columns and
// partition replacement in alter-partition-schema.ts); TRUNCATE.
import { ok, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import type { Cursor } from '../sql/cursor.js';
import { parsePartitionDef } from '../sql/parse-table.js';
import { allocId, type SimTable } from '../store.js';
import { scheduleTable, storedDynamicProperties } from './dynamic-partition.js';
import { checkColocate, checkNoOverlap, newPartition, resolveAllocation, resolveItems } from './table-build.js';
import { alterPartitionOrSchema } from './alter-partition-schema.js';
import { checkPartitionName, checkTableName } from '../name-format.js';

function setProperties(ctx: Ctx, db: Parameters<typeof checkColocate>[0], table: SimTable, props: Record<string, string>): void {
  const { sim } = ctx;
  let dynamicChanged = false;
  for (const [key, value] of Object.entries(props)) {
    if (key === 'replication_num' || key === 'replication_allocation') {
      const allocation = resolveAllocation(sim, { [key]: value }, table.properties.replication_allocation ?? '');
      table.properties.replication_allocation = allocation;
      if (table.partitionType === 'UNPARTITIONED') for (const p of table.partitions) p.replicationAllocation = allocation;
    } else if (key === 'colocate_with') {
      if (value === '') delete table.properties.colocate_with;
      else {
        table.properties.colocate_with = value;
        try {
          checkColocate(db, table);
        } catch (e) {
          delete table.properties.colocate_with;
          throw e;
        }
      }
    } else if (key === 'storage_policy') {
      if (value && !sim.world.storagePolicies[value]) throw dorisError(`Storage policy does not exist. name: ${value}`);
      table.properties.storage_policy = value;
    } else if (key.startsWith('dynamic_partition.')) {
      if (table.partitionType !== 'RANGE') throw dorisError('Only support dynamic partition properties on range partition table');
      if (key === 'dynamic_partition.replication_num') table.properties['dynamic_partition.replication_allocation'] = `tag.location.default: ${value}`;
      else table.properties[key] = value;
      dynamicChanged = true;
    } else {
      table.properties[key] = value;
    }
  }
  if (dynamicChanged) {
    table.properties = storedDynamicProperties(table.properties, table.distribution.buckets);
    // Switching it on registers the table with the scheduler, which runs for it at once.
    scheduleTable(sim, table);
  }
}

function alter(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  c.expect('ALTER', 'TABLE');
  const { db, table } = sim.table(c.qualified(), session);
  sim.requireDbPriv(session, db.name, 'ALTER');
  if (table.state !== 'NORMAL') throw dorisError(`Table[${table.name}]'s state is not NORMAL. Do not allow doing ALTER ops`);
  do {
    if (alterPartitionOrSchema(c, ctx, db, table)) continue;
    if (c.accept('SET')) setProperties(ctx, db, table, c.properties());
    else if (c.accept('MODIFY', 'PARTITION')) {
      const pname = c.ident();
      c.expect('SET');
      const props = c.properties();
      const p = table.partitions.find((x) => x.name === pname);
      if (!p) throw dorisError(`Partition[${pname}] does not exist in table[${table.name}]`);
      if (props.storage_policy !== undefined) p.storagePolicy = props.storage_policy;
      if (props.replication_num || props.replication_allocation) p.replicationAllocation = resolveAllocation(sim, props, p.replicationAllocation);
    } else if (c.at('ADD', 'PARTITION') || c.at('ADD', 'TEMPORARY', 'PARTITION')) {
      c.expect('ADD');
      const temp = c.accept('TEMPORARY');
      if (table.partitionType === 'UNPARTITIONED') throw dorisError(`Table[${table.name}] is not partitioned`);
      const def = parsePartitionDef(c, table.partitionType);
      checkPartitionName(ctx, def.name);
      const list = temp ? table.tempPartitions : table.partitions;
      if (list.some((p) => p.name === def.name)) throw dorisError(`Duplicate partition name ${def.name}`);
      const cols = table.partitionColumns.map((n) => table.columns.find((col) => col.name === n)!);
      const [item] = resolveItems([def], cols, list.map((p) => p.item));
      checkNoOverlap(list.map((p) => p.item), item!, def.name);
      list.push(newPartition(sim, def.name, item!, table, { storage_policy: table.properties.storage_policy ?? '', ...def.properties }, table.properties.replication_allocation ?? ''));
    } else if (c.at('DROP', 'PARTITION') || c.at('DROP', 'TEMPORARY', 'PARTITION')) {
      c.expect('DROP');
      const temp = c.accept('TEMPORARY');
      c.expect('PARTITION');
      const ifExists = c.accept('IF', 'EXISTS');
      const pname = c.ident();
      c.accept('FORCE');
      const list = temp ? table.tempPartitions : table.partitions;
      const i = list.findIndex((p) => p.name === pname);
      if (i < 0 && !ifExists) throw dorisError(`Error in list of partitions to ${pname}`);
      if (i >= 0) list.splice(i, 1);
    } else if (c.accept('ADD', 'ROLLUP')) {
      const name = c.ident();
      const columns = c.list(() => c.ident());
      if (table.rollups.some((r) => r.name === name)) throw dorisError(`Rollup index[${name}] already exists`);
      table.rollups.push({ id: allocId(sim.world), name, columns });
    } else if (c.accept('RENAME')) {
      const newName = c.ident();
      checkTableName(ctx, newName);
      if (db.tables[newName]) throw dorisError(`New name conflicts with rollup index name: ${newName}`);
      delete db.tables[table.name];
      table.name = newName;
      db.tables[newName] = table;
    } else throw c.error();
  } while (c.acceptPunct(','));
  c.end();
  table.updateTime = sim.clock.now();
  sim.changed(db.name);
  return ok();
}

export const alterTable: StatementHandler = { name: 'ALTER TABLE', match: (c) => c.at('ALTER', 'TABLE'), run: alter };

export const truncate: StatementHandler = {
  name: 'TRUNCATE',
  match: (c) => c.at('TRUNCATE'),
  run(c, { sim, session }) {
    c.expect('TRUNCATE');
    c.accept('TABLE');
    const { db, table } = sim.table(c.qualified(), session);
    const only = c.accept('PARTITION') ? (c.atPunct('(') ? c.list(() => c.ident()) : [c.ident()]) : undefined;
    c.end();
    sim.requireDbPriv(session, db.name, 'LOAD');
    const hook = sim.hooks.beforeTruncate;
    if (hook) hook(db.name);
    const now = sim.clock.now();
    for (const p of table.partitions) {
      if (only && !only.includes(p.name)) continue;
      // Truncation replaces the partition: a new id and version, no rows.
      p.id = allocId(sim.world);
      p.rows = [];
      p.visibleVersion = 1;
      p.visibleVersionTime = now;
      delete p.syntheticBytes;
    }
    table.updateTime = now;
    sim.changed();
    return ok();
  },
};
