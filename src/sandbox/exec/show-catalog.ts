// SHOW DATABASES / [FULL] TABLES / CREATE ... / DATA / PARTITIONS / DYNAMIC PARTITION TABLES.
import { rows, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { dorisError, noDatabaseSelected } from '../errors.js';
import { createMvText, createTableText, createViewText } from '../ddl-text.js';
import { formatDateTime, formatSize, rangeText } from '../format.js';
import type { Cursor } from '../sql/cursor.js';
import { evaluate, orExpr } from '../sql/expr.js';
import { partitionBytes, replicaCount, tableBytes, tableRows, type Cell, type SimTable } from '../store.js';
import { ENGINE_NAME } from './info-schema.js';

/** `LIKE 'pat'` (% and _ wildcards, case-insensitive) as a name filter; all names when absent. */
export const likeFilter = (c: Cursor): ((name: string) => boolean) => {
  if (!c.accept('LIKE')) return () => true;
  const re = new RegExp(`^${c.string().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  return (n) => re.test(n);
};

export const showDatabases: StatementHandler = {
  name: 'SHOW DATABASES',
  match: (c) => c.at('SHOW', 'DATABASES') || c.at('SHOW', 'SCHEMAS'),
  run(c, { sim, session }) {
    c.next();
    c.next();
    if (c.accept('FROM')) {
      const catalog = c.ident();
      if (catalog !== 'internal' && !sim.world.catalogs[catalog]) throw dorisError(`Unknown catalog '${catalog}'`);
      if (catalog !== 'internal') return rows(['Database'], []);
    }
    const like = likeFilter(c);
    c.end();
    const names = ['information_schema', ...(sim.caps.asyncMv ? ['mysql'] : []), ...Object.keys(sim.world.databases).filter((d) => sim.canSee(session.user, d))];
    return rows(['Database'], [...new Set(names)].filter(like).sort().map((n) => [n]));
  },
};

export const showTables: StatementHandler = {
  name: 'SHOW TABLES',
  match: (c) => c.at('SHOW', 'TABLES') || c.at('SHOW', 'FULL', 'TABLES'),
  run(c, { sim, session }) {
    c.expect('SHOW');
    const full = c.accept('FULL');
    c.expect('TABLES');
    const dbName = c.accept('FROM') || c.accept('IN') ? c.qualified().pop() : undefined;
    const db = sim.visibleDatabase(dbName, session);
    const like = likeFilter(c);
    c.end();
    const tables = Object.values(db.tables).filter((t) => like(t.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
    const col = `Tables_in_${db.name}`;
    if (!full) return rows([col], tables.map((t) => [t.name]));
    return rows([col, 'Table_type', 'StorageFormat'], tables.map((t) => [t.name, t.type === 'VIEW' ? 'VIEW' : 'BASE TABLE', t.type === 'OLAP' || t.type === 'MATERIALIZED_VIEW' ? 'V2' : 'NONE']));
  },
};

function showCreate(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  c.expect('SHOW', 'CREATE');
  if (c.accept('DATABASE')) {
    const db = sim.visibleDatabase(c.ident(), session);
    c.end();
    const props = Object.entries(db.properties);
    const text = `CREATE DATABASE \`${db.name}\`${props.length ? `\nPROPERTIES (\n${props.map(([k, v]) => `"${k}" = "${v}"`).join(',\n')}\n)` : ''}`;
    return rows(['Database', 'Create Database'], [[db.name, text]]);
  }
  const mv = c.accept('MATERIALIZED', 'VIEW');
  if (!mv && !c.accept('VIEW')) c.expect('TABLE');
  const { table } = sim.visibleTable(c.qualified(), session);
  c.end();
  if (mv) {
    if (table.type !== 'MATERIALIZED_VIEW') throw dorisError(`table[${table.name}] is not async materialized view`);
    return rows(['Materialized View', 'Create Materialized View'], [[table.name, createMvText(table)]]);
  }
  if (table.type === 'VIEW') return rows(['View', 'Create View', 'character_set_client', 'collation_connection'], [[table.name, createViewText(table), 'utf8mb4', 'utf8mb4_0900_bin']]);
  if (table.type === 'MATERIALIZED_VIEW' && sim.caps.showCreateTableRefusesMtmv) throw dorisError('not support async materialized view, please use `show create materialized view`');
  return rows(['Table', 'Create Table'], [[table.name, createTableText(table)]]);
}

export const showCreateHandler: StatementHandler = { name: 'SHOW CREATE', match: (c) => c.at('SHOW', 'CREATE'), run: showCreate };

const QUOTA_BYTES = 1024 ** 5;
const REPLICA_QUOTA = 1073741824;
const tabletsOf = (t: SimTable): number => t.partitions.reduce((s, p) => s + p.buckets * replicaCount(p.replicationAllocation), 0) * (1 + t.rollups.length);

function showData(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  c.expect('SHOW', 'DATA');
  if (c.accept('FROM')) {
    const { table } = sim.visibleTable(c.qualified(), session);
    c.end();
    const bytes = tableBytes(table);
    const replicas = tabletsOf(table);
    const indexes = [table.name, ...table.rollups.map((r) => r.name)];
    const out: Cell[][] = indexes.map((idx, i) => [i === 0 ? table.name : '', idx, formatSize(i === 0 ? bytes : 0), String(Math.floor(replicas / indexes.length)), String(i === 0 ? tableRows(table) : tableRows(table)), '0.000 ']);
    out.push(['', 'Total', formatSize(bytes), String(replicas), '', '0.000 ']);
    return rows(['TableName', 'IndexName', 'Size', 'ReplicaCount', 'RowCount', 'RemoteSize'], out);
  }
  c.end();
  if (!session.db) {
    if (!sim.caps.showDataAllDatabases) throw noDatabaseSelected();
    const out: Cell[][] = [];
    let total = 0;
    for (const db of Object.values(sim.world.databases)) {
      if (!sim.canSee(session.user, db.name)) continue;
      const size = Object.values(db.tables).reduce((s, t) => s + tableBytes(t), 0);
      total += size;
      out.push([String(db.id), db.name, String(size), '0', '0', '0']);
    }
    out.push(['Total', '', String(total), '0', '0', '0']);
    return rows(['DbId', 'DbName', 'Size', 'RemoteSize', 'RecycleSize', 'RecycleRemoteSize'], out);
  }
  const db = sim.visibleDatabase(undefined, session);
  const managed = Object.values(db.tables).filter((t) => t.type === 'OLAP' || t.type === 'MATERIALIZED_VIEW').sort((a, b) => (a.name < b.name ? -1 : 1));
  let total = 0;
  let replicas = 0;
  const out: Cell[][] = managed.map((t) => {
    const b = tableBytes(t);
    total += b;
    replicas += tabletsOf(t);
    return [t.name, formatSize(b), String(tabletsOf(t)), '0.000 '];
  });
  out.push(['Total', formatSize(total), String(replicas), '0.000 ']);
  out.push(['Quota', formatSize(QUOTA_BYTES), String(REPLICA_QUOTA), '']);
  out.push(['Left', formatSize(QUOTA_BYTES - total), String(REPLICA_QUOTA - replicas), '']);
  return rows(['TableName', 'Size', 'ReplicaCount', 'RemoteSize'], out);
}

export const showDataHandler: StatementHandler = { name: 'SHOW DATA', match: (c) => c.at('SHOW', 'DATA'), run: showData };

function showPartitions(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  c.expect('SHOW');
  const temp = c.accept('TEMPORARY');
  c.expect('PARTITIONS', 'FROM');
  const { table } = sim.visibleTable(c.qualified(), session);
  if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') throw dorisError(`Table[${table.name}] is not a OLAP table`);
  const caps = sim.caps;
  const columns = ['PartitionId', 'PartitionName', 'VisibleVersion', 'VisibleVersionTime', 'State', 'PartitionKey', 'Range', 'DistributionKey', 'Buckets', 'ReplicationNum', 'StorageMedium', 'CooldownTime', 'RemoteStoragePolicy', 'LastConsistencyCheckTime', 'DataSize', 'IsInMemory', 'ReplicaAllocation', 'IsMutable'];
  if (caps.showPartitionsMtmvColumns) columns.push('SyncWithBaseTables', 'UnsyncTables', 'CommittedVersion');
  if (caps.showPartitionsRowCount) columns.push('RowCount');
  const partCols = table.partitionColumns.map((n) => table.columns.find((col) => col.name === n)!);
  let data: Cell[][] = (temp ? table.tempPartitions : table.partitions).map((p) => {
    const row: Cell[] = [
      String(p.id), p.name, String(p.visibleVersion), formatDateTime(p.visibleVersionTime), 'NORMAL', table.partitionColumns.join(', '), rangeText(p.item, partCols),
      table.distribution.type === 'HASH' ? table.distribution.columns.join(', ') : 'RANDOM', String(p.buckets), String(replicaCount(p.replicationAllocation)), 'HDD',
      '9999-12-31 23:59:59', p.storagePolicy, null, formatSize(partitionBytes(p) * replicaCount(p.replicationAllocation)), 'false', p.replicationAllocation, 'true',
    ];
    if (caps.showPartitionsMtmvColumns) row.push('true', null, String(p.visibleVersion));
    if (caps.showPartitionsRowCount) row.push(String(p.rows.length));
    return row;
  });
  if (c.accept('WHERE')) {
    const where = orExpr(c);
    data = data.filter((r) => evaluate(where, (n) => r[columns.findIndex((x) => x.toLowerCase() === n.toLowerCase())] ?? null));
  }
  if (c.accept('ORDER', 'BY')) {
    const i = columns.findIndex((x) => x.toLowerCase() === c.ident().toLowerCase());
    const desc = c.accept('DESC');
    c.accept('ASC');
    data.sort((a, b) => ((a[i] ?? '') < (b[i] ?? '') ? -1 : 1) * (desc ? -1 : 1));
  }
  if (c.accept('LIMIT')) data = data.slice(0, c.number());
  c.end();
  return rows(columns, data);
}

export const showPartitionsHandler: StatementHandler = {
  name: 'SHOW PARTITIONS',
  match: (c) => c.at('SHOW', 'PARTITIONS') || c.at('SHOW', 'TEMPORARY', 'PARTITIONS'),
  run: showPartitions,
};

export const showDynamicPartitions: StatementHandler = {
  name: 'SHOW DYNAMIC PARTITION TABLES',
  match: (c) => c.at('SHOW', 'DYNAMIC', 'PARTITION', 'TABLES'),
  run(c, { sim, session }) {
    c.expect('SHOW', 'DYNAMIC', 'PARTITION', 'TABLES');
    const db = sim.visibleDatabase(c.accept('FROM') || c.accept('IN') ? c.ident() : undefined, session);
    c.end();
    const out = Object.values(db.tables)
      .filter((t) => Object.keys(t.properties).some((k) => k.startsWith('dynamic_partition.')))
      .map((t): Cell[] => {
        const d = (k: string, dflt: string) => t.properties[`dynamic_partition.${k}`] ?? dflt;
        return [
          t.name, d('enable', 'true'), d('time_unit', 'DAY'), d('start', '-2147483648'), d('end', ''), d('prefix', 'p'), d('buckets', String(t.distribution.buckets)),
          String(replicaCount(d('replication_allocation', t.properties.replication_allocation ?? 'tag.location.default: 3'))), d('replication_allocation', t.properties.replication_allocation ?? ''),
          d('start_day_of_week', d('start_day_of_month', 'N/A')), 'N/A', formatDateTime(sim.clock.now()), 'NORMAL', 'N/A', 'N/A', 'HDD', d('reserved_history_periods', 'NULL'),
        ];
      });
    return rows(['TableName', 'Enable', 'TimeUnit', 'Start', 'End', 'Prefix', 'Buckets', 'ReplicationNum', 'ReplicaAllocation', 'StartOf', 'LastUpdateTime', 'LastSchedulerTime', 'State', 'LastCreatePartitionMsg', 'LastDropPartitionMsg', 'StorageColdMedium', 'ReservedHistoryPeriods'], out);
  },
};

export const showTableStatus: StatementHandler = {
  name: 'SHOW TABLE STATUS',
  match: (c) => c.at('SHOW', 'TABLE', 'STATUS'),
  run(c, { sim, session }) {
    c.expect('SHOW', 'TABLE', 'STATUS');
    const db = sim.visibleDatabase(c.accept('FROM') || c.accept('IN') ? c.qualified().pop() : undefined, session);
    const like = likeFilter(c);
    c.end();
    const out = Object.values(db.tables).filter((t) => like(t.name)).map((t): Cell[] => {
      const n = tableRows(t);
      const b = tableBytes(t);
      return [t.name, ENGINE_NAME[t.type], null, null, String(n), String(n ? Math.floor(b / n) : 0), String(b), null, null, null, null, formatDateTime(t.createTime), formatDateTime(t.updateTime), null, 'utf-8', null, '', t.comment];
    });
    return rows(['Name', 'Engine', 'Version', 'Row_format', 'Rows', 'Avg_row_length', 'Data_length', 'Max_data_length', 'Index_length', 'Data_free', 'Auto_increment', 'Create_time', 'Update_time', 'Check_time', 'Collation', 'Checksum', 'Create_options', 'Comment'], out);
  },
};
