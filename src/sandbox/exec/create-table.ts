// CREATE TABLE: OLAP tables with keys, partitions, distribution and properties; legacy
// external tables (ENGINE=mysql/odbc/broker/...) as non-OLAP tables.
import { ok, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import type { Cursor } from '../sql/cursor.js';
import { parseColumn, parseDistribution, parseKeys, parsePartitionBy } from '../sql/parse-table.js';
import { allocId, type SimTable, type TableType } from '../store.js';
import {
  applySyntheticSize, checkColocate, checkNoOverlap, DEFAULT_ALLOCATION, defaultTableProperties, newPartition, resolveAllocation, resolveItems,
} from './table-build.js';
import { scheduleTable, storedDynamicProperties } from './dynamic-partition.js';
import { checkColumnName, checkPartitionName, checkTableName } from '../name-format.js';

const ENGINES: Record<string, TableType> = {
  OLAP: 'OLAP', MYSQL: 'MYSQL', ODBC: 'ODBC', BROKER: 'BROKER', ELASTICSEARCH: 'ELASTICSEARCH', HIVE: 'HIVE', JDBC: 'JDBC',
};

/** Keys the simulator reads but Doris would never show (synthetic sizes for benchmarks). */
export const SIM_PROPERTY_PREFIX = 'sim.';

function run(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  c.expect('CREATE');
  c.accept('EXTERNAL');
  c.expect('TABLE');
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const name = c.qualified();
  const db = sim.database(name.length > 1 ? name[name.length - 2] : undefined, session);
  const tableName = name[name.length - 1]!;
  checkTableName(ctx, tableName);
  sim.requireDbPriv(session, db.name, 'CREATE');
  if (db.tables[tableName]) {
    if (ifNotExists) return ok();
    throw dorisError(`Table '${tableName}' already exists`);
  }
  if (c.accept('LIKE')) throw dorisError('CREATE TABLE LIKE is not supported by the simulator');
  const indexes: NonNullable<SimTable['indexes']> = [];
  const columns = c.list(() => {
    if (c.accept('INDEX')) {
      const name = c.ident();
      const cols = c.list(() => c.ident());
      let type = 'INVERTED';
      if (c.accept('USING')) type = c.ident().toUpperCase();
      while (!c.atPunct(',') && !c.atPunct(')')) c.next();
      indexes.push({ name, type, columns: cols });
      return undefined;
    }
    return parseColumn(c);
  }).filter((col) => col !== undefined);
  for (const col of columns) checkColumnName(ctx, col.name);
  let engine: TableType = 'OLAP';
  if (c.accept('ENGINE')) {
    c.acceptPunct('=');
    const e = c.ident().toUpperCase();
    engine = ENGINES[e] ?? (() => { throw dorisError(`Unknown engine name: ${e}`); })();
  }
  const keys = parseKeys(c);
  let comment = '';
  if (c.accept('COMMENT')) comment = c.string();
  const partitionBy = parsePartitionBy(c);
  const distribution = parseDistribution(c);
  if (c.accept('ROLLUP')) c.skipParens();
  const props = c.accept('PROPERTIES') ? c.properties() : {};
  c.end();

  const now = sim.clock.now();
  if (engine !== 'OLAP') {
    const table = baseTable(allocId(sim.world), tableName, engine, columns, now);
    table.engineProperties = Object.fromEntries(Object.entries(props).filter(([k]) => !/password|secret/i.test(k)));
    table.comment = comment;
    db.tables[tableName] = table;
    sim.changed(db.name);
    return ok();
  }

  const keysType = keys?.keysType ?? 'DUP_KEYS';
  const keyColumns = keys?.columns ?? columns.slice(0, Math.min(3, columns.length)).map((col) => col.name);
  for (const k of keyColumns) {
    const col = columns.find((x) => x.name === k);
    if (!col) throw dorisError(`Key column[${k}] doesn't exist.`);
    col.isKey = true;
  }
  if (!distribution) throw dorisError('Create olap table should contain distribution desc');
  const allocation = resolveAllocation(sim, props, db.properties.replication_allocation ?? DEFAULT_ALLOCATION);
  const table: SimTable = {
    ...baseTable(allocId(sim.world), tableName, 'OLAP', columns, now),
    keysType,
    keyColumns,
    distribution,
    comment,
    ...(indexes.length ? { indexes } : {}),
  };
  const userProps = Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'replication_num' && k !== 'replication_allocation' && !k.startsWith(SIM_PROPERTY_PREFIX)));
  table.properties = storedDynamicProperties({ replication_allocation: allocation, ...defaultTableProperties(keysType), ...userProps }, distribution.buckets);
  if (userProps.storage_policy && !sim.world.storagePolicies[userProps.storage_policy]) throw dorisError(`Storage policy does not exist. name: ${userProps.storage_policy}`);

  if (partitionBy) {
    table.partitionType = partitionBy.type;
    table.partitionColumns = partitionBy.columns;
    if (partitionBy.auto) {
      if (!sim.caps.autoPartition) throw dorisError('Auto partition is not supported in this version');
      table.autoPartition = partitionBy.auto;
    }
    for (const d of partitionBy.defs) checkPartitionName(ctx, d.name);
    const partCols = partitionBy.columns.map((n) => columns.find((col) => col.name === n) ?? (() => { throw dorisError(`Unknown partition column: ${n}`); })());
    const items = resolveItems(partitionBy.defs, partCols, []);
    partitionBy.defs.forEach((d, i) => {
      const item = items[i]!;
      checkNoOverlap(table.partitions.map((p) => p.item), item, d.name);
      if (table.partitions.some((p) => p.name === d.name)) throw dorisError(`Duplicated partition name: ${d.name}`);
      table.partitions.push(newPartition(sim, d.name, item, table, { storage_policy: userProps.storage_policy ?? '', ...d.properties }, allocation));
    });
  } else {
    table.partitions.push(newPartition(sim, tableName, { kind: 'none' }, table, { storage_policy: userProps.storage_policy ?? '' }, allocation));
  }
  checkColocate(db, table);
  // Doris runs the dynamic-partition scheduler once for a new table, at CREATE.
  scheduleTable(sim, table);
  if (props['sim.data_bytes']) applySyntheticSize(table, Number(props['sim.data_bytes']));
  db.tables[tableName] = table;
  sim.changed(db.name);
  return ok();
}

export function baseTable(id: number, name: string, type: TableType, columns: SimTable['columns'], now: number): SimTable {
  return {
    id, name, type, columns,
    keysType: 'DUP_KEYS', keyColumns: [],
    partitionType: 'UNPARTITIONED', partitionColumns: [], partitions: [], tempPartitions: [],
    distribution: { type: 'RANDOM', columns: [], buckets: 1, auto: false },
    properties: {}, rollups: [], comment: '', state: 'NORMAL', createTime: now, updateTime: now,
  };
}

export const createTable: StatementHandler = {
  name: 'CREATE TABLE',
  match: (c) => c.at('CREATE', 'TABLE') || c.at('CREATE', 'EXTERNAL', 'TABLE'),
  run,
};
