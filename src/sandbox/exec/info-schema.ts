// information_schema tables as virtual tables, version-gated (doris-facts.md Part A §1).
import type { Engine, Session } from '../engine.js';
import { codedError } from '../errors.js';
import { formatDateTime, rangeText } from '../format.js';
import { partitionBytes, replicaCount, tableBytes, tableRows, type Cell, type SimColumn, type SimDatabase, type SimTable } from '../store.js';

export interface VTable {
  columns: string[];
  /** Made as they are read (generators for the big tables), so a query keeps only what it selects. */
  rows: Iterable<Cell[]>;
}

const TABLES_COLUMNS = ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'ENGINE', 'VERSION', 'ROW_FORMAT', 'TABLE_ROWS', 'AVG_ROW_LENGTH', 'DATA_LENGTH', 'MAX_DATA_LENGTH', 'INDEX_LENGTH', 'DATA_FREE', 'AUTO_INCREMENT', 'CREATE_TIME', 'UPDATE_TIME', 'CHECK_TIME', 'TABLE_COLLATION', 'CHECKSUM', 'CREATE_OPTIONS', 'TABLE_COMMENT'];
const COLUMNS_COLUMNS = ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'ORDINAL_POSITION', 'COLUMN_DEFAULT', 'IS_NULLABLE', 'DATA_TYPE', 'CHARACTER_MAXIMUM_LENGTH', 'CHARACTER_OCTET_LENGTH', 'NUMERIC_PRECISION', 'NUMERIC_SCALE', 'DATETIME_PRECISION', 'CHARACTER_SET_NAME', 'COLLATION_NAME', 'COLUMN_TYPE', 'COLUMN_KEY', 'EXTRA', 'PRIVILEGES', 'COLUMN_COMMENT', 'COLUMN_SIZE', 'DECIMAL_DIGITS', 'GENERATION_EXPRESSION', 'SRS_ID'];
const PARTITIONS_COLUMNS = ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'PARTITION_NAME', 'SUBPARTITION_NAME', 'PARTITION_ORDINAL_POSITION', 'SUBPARTITION_ORDINAL_POSITION', 'PARTITION_METHOD', 'SUBPARTITION_METHOD', 'PARTITION_EXPRESSION', 'SUBPARTITION_EXPRESSION', 'PARTITION_DESCRIPTION', 'TABLE_ROWS', 'AVG_ROW_LENGTH', 'DATA_LENGTH', 'MAX_DATA_LENGTH', 'INDEX_LENGTH', 'DATA_FREE', 'CREATE_TIME', 'UPDATE_TIME', 'CHECK_TIME', 'CHECKSUM', 'PARTITION_COMMENT', 'NODEGROUP', 'TABLESPACE_NAME'];
const PARTITIONS_WIDE_EXTRA = ['LOCAL_DATA_SIZE', 'REMOTE_DATA_SIZE', 'STATE', 'REPLICA_ALLOCATION', 'REPLICA_NUM', 'STORAGE_POLICY', 'STORAGE_MEDIUM', 'COOLDOWN_TIME_MS', 'LAST_CONSISTENCY_CHECK_TIME', 'BUCKET_NUM', 'COMMITTED_VERSION', 'VISIBLE_VERSION', 'PARTITION_KEY', 'RANGE', 'DISTRIBUTION'];
/** System views listed in information_schema.tables with TABLE_TYPE `SYSTEM VIEW`. */
const SYSTEM_VIEWS = ['tables', 'columns', 'schemata', 'partitions', 'table_properties', 'table_options'];

export const ENGINE_NAME: Record<SimTable['type'], string | null> = {
  OLAP: 'Doris', VIEW: 'View', MATERIALIZED_VIEW: null, MYSQL: 'MySQL', ODBC: 'Odbc', BROKER: 'Broker', ELASTICSEARCH: 'ElasticSearch', HIVE: 'Hive', JDBC: 'jdbc',
};
export const tableType = (t: SimTable): string => (t.type === 'VIEW' ? 'VIEW' : 'BASE TABLE');
const KEY_MARK = { DUP_KEYS: 'DUP', UNIQUE_KEYS: 'UNI', AGG_KEYS: 'AGG' } as const;
const MODEL = { DUP_KEYS: 'DUP', UNIQUE_KEYS: 'UNI', AGG_KEYS: 'AGG' } as const;

/** Databases a WHERE on TABLE_SCHEMA keeps (select.ts); rows of the others are never made. */
export type SchemaFilter = (database: string) => boolean;

function* visibleTables(sim: Engine, session: Session, filter: SchemaFilter | undefined): Generator<[SimDatabase, SimTable]> {
  for (const db of Object.values(sim.world.databases)) {
    if (!sim.canSee(session.user, db.name) || (filter && !filter(db.name))) continue;
    for (const t of Object.values(db.tables)) yield [db, t];
  }
}

function columnRow(db: SimDatabase, t: SimTable, col: SimColumn, i: number): Cell[] {
  const base = col.type.replace(/\(.*$/, '').replace(/<.*$/, '');
  const args = /\(([^)]*)\)/.exec(col.type)?.[1]?.split(',').map(Number) ?? [];
  const isChar = ['varchar', 'char', 'string'].includes(base);
  const isNum = ['tinyint', 'smallint', 'int', 'bigint', 'largeint', 'decimal', 'decimalv3', 'float', 'double'].includes(base);
  const len = isChar ? String(args[0] ?? 2147483643) : null;
  return [
    'internal', db.name, t.name, col.name, String(i + 1), col.defaultValue ?? null, col.nullable ? 'YES' : 'NO', base,
    len, len, isNum ? String(args[0] ?? { tinyint: 3, smallint: 5, int: 10, bigint: 19, largeint: 39, float: 7, double: 15 }[base] ?? 9) : null,
    isNum ? String(args[1] ?? 0) : null, base.startsWith('datetime') ? String(args[0] ?? 0) : null, null, null,
    col.type, col.isKey ? KEY_MARK[t.keysType] : '', '', 'SELECT', col.comment, len, null, null, null,
  ];
}

/**
 * The table's stored property map as table_properties lists it (MetadataGenerator): the replica
 * allocation under its stored key `default.replication_allocation`, no `colocate_with` (a table
 * field, not a property), dynamic-partition keys as stored at CREATE.
 */
function storedPropertyMap(t: SimTable): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(t.properties)) {
    if (key === 'colocate_with') continue;
    out.push([key === 'replication_allocation' ? 'default.replication_allocation' : key, value]);
  }
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function partitionRows(sim: Engine, db: SimDatabase, t: SimTable): Cell[][] {
  const cols = t.partitionColumns.map((n) => t.columns.find((c) => c.name === n)!).filter(Boolean);
  const created = formatDateTime(t.createTime);
  // Doris lists every partition, temporary ones too (after the others, unmarked): OlapTable.getAllPartitions().
  return [...t.partitions, ...t.tempPartitions].map((p, i) => {
    const bytes = partitionBytes(p) * replicaCount(p.replicationAllocation);
    // An unpartitioned table prints the string "NULL" (not SQL NULL) for its expression and description.
    const unpartitioned = t.partitionType === 'UNPARTITIONED';
    const base: Cell[] = [
      'internal', db.name, t.name, p.name, null, String(i + 1), null, t.partitionType, null, unpartitioned ? 'NULL' : t.partitionColumns.join(', '), null, unpartitioned ? 'NULL' : rangeText(p.item, cols),
      String(p.rows.length), String(p.rows.length ? Math.floor(bytes / p.rows.length) : 0), String(bytes), '0', '0', '0',
      created, formatDateTime(p.visibleVersionTime), null, null, '', null, null,
    ];
    if (!sim.caps.partitionsWide) return base;
    return [
      String(p.id), ...base, String(bytes), '0', 'NORMAL', p.replicationAllocation, String(replicaCount(p.replicationAllocation)), p.storagePolicy, 'HDD',
      '253402271999000', null, String(p.buckets), String(p.visibleVersion), String(p.visibleVersion), t.partitionColumns.join(', '), rangeText(p.item, cols),
      t.distribution.type === 'HASH' ? `HASH(${t.distribution.columns.join(', ')})` : 'RANDOM',
    ];
  });
}

/** The virtual table `information_schema.<name>`, or an Unknown-table error where the version lacks it. */
export function infoSchemaTable(sim: Engine, session: Session, name: string, filter?: SchemaFilter): VTable {
  const lower = name.toLowerCase();
  switch (lower) {
    case 'tables': {
      const system: Cell[][] = filter && !filter('information_schema') ? [] : SYSTEM_VIEWS.map((v) => ['internal', 'information_schema', v, 'SYSTEM VIEW', 'SYSTEM VIEW', '10', 'Dynamic', '0', '0', '0', '0', '0', null, null, null, null, null, 'utf-8', null, '', '']);
      const rows = function* (): Generator<Cell[]> {
        yield* system;
        for (const [db, t] of visibleTables(sim, session, filter)) {
          const rowsN = tableRows(t);
          const bytes = tableBytes(t);
          yield [
            'internal', db.name, t.name, tableType(t), ENGINE_NAME[t.type], '10', 'Dynamic', String(rowsN), String(rowsN ? Math.floor(bytes / rowsN) : 0), String(bytes),
            '0', '0', null, null, formatDateTime(t.createTime), formatDateTime(t.updateTime), null, 'utf-8', null, '', t.comment,
          ];
        }
      };
      return { columns: TABLES_COLUMNS, rows: rows() };
    }
    case 'columns': {
      const rows = function* (): Generator<Cell[]> {
        for (const [db, t] of visibleTables(sim, session, filter)) for (let i = 0; i < t.columns.length; i++) yield columnRow(db, t, t.columns[i]!, i);
      };
      return { columns: COLUMNS_COLUMNS, rows: rows() };
    }
    case 'schemata':
      return {
        columns: ['CATALOG_NAME', 'SCHEMA_NAME', 'DEFAULT_CHARACTER_SET_NAME', 'DEFAULT_COLLATION_NAME', 'SQL_PATH', 'DEFAULT_ENCRYPTION'],
        rows: Object.values(sim.world.databases).filter((d) => sim.canSee(session.user, d.name)).map((d) => ['internal', d.name, 'utf8', 'utf8_general_ci', null, 'NO']),
      };
    case 'partitions': {
      const columns = sim.caps.partitionsWide ? ['PARTITION_ID', ...PARTITIONS_COLUMNS, ...PARTITIONS_WIDE_EXTRA] : PARTITIONS_COLUMNS;
      const rows = function* (): Generator<Cell[]> {
        if (!sim.caps.partitionsPopulated) return;
        for (const [db, t] of visibleTables(sim, session, filter)) if (t.type === 'OLAP') yield* partitionRows(sim, db, t);
      };
      return { columns, rows: rows() };
    }
    case 'table_properties': {
      if (!sim.caps.tableProperties) break;
      const rows = function* (): Generator<Cell[]> {
        for (const [db, t] of visibleTables(sim, session, filter)) {
          if (t.type !== 'OLAP' && t.type !== 'MATERIALIZED_VIEW') continue;
          for (const [key, value] of storedPropertyMap(t)) yield ['internal', db.name, t.name, key, value];
        }
      };
      return { columns: ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'PROPERTY_NAME', 'PROPERTY_VALUE'], rows: rows() };
    }
    case 'table_options': {
      if (!sim.caps.tableOptions) break;
      const wide = sim.caps.partitionsWide;
      const columns = ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_MODEL', 'TABLE_MODEL_KEY', 'DISTRIBUTE_KEY', 'DISTRIBUTE_TYPE', 'BUCKETS_NUM', 'PARTITION_NUM', ...(wide ? ['PARTITION_METHOD', 'PARTITION_EXPRESSION', 'PARTITION_KEY', 'RANGE'] : [])];
      const rows = function* (): Generator<Cell[]> {
        for (const [db, t] of visibleTables(sim, session, filter)) {
          if (t.type !== 'OLAP') continue;
          const row: Cell[] = ['internal', db.name, t.name, MODEL[t.keysType], t.keyColumns.join(','), t.distribution.type === 'HASH' ? t.distribution.columns.join(',') : 'RANDOM', t.distribution.type, String(t.distribution.buckets), String(t.partitions.length)];
          if (wide) row.push(t.partitionType, t.partitionColumns.join(', '), t.partitionColumns.join(', '), '');
          yield row;
        }
      };
      return { columns, rows: rows() };
    }
  }
  throw codedError(1051, '42S02', `Unknown table '${name}'`);
}
