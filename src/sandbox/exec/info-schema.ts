// information_schema tables as virtual tables, version-gated (doris-facts.md Part A §1).
import type { Engine, Session } from '../engine.js';
import { codedError } from '../errors.js';
import { formatDateTime, rangeText, typesText } from '../format.js';
import { partitionBytes, replicaCount, tableBytes, tableRows, type Cell, type SimColumn, type SimDatabase, type SimPartition, type SimTable } from '../store.js';

/**
 * A table a SELECT reads: its columns, its records, and the cell of a record in a column. Records
 * are made as they are read (generators for the big tables) and a cell only when the query reads
 * it: the catalog reader selects 8 of the 40 columns of a million partitions.
 */
export interface VTable {
  columns: string[];
  records: Iterable<unknown>;
  cell: (record: unknown, column: number) => Cell;
}

/** A table whose rows are already cells. */
export function cellTable(columns: string[], rows: Iterable<Cell[]>): VTable {
  return { columns, records: rows, cell: (r, i) => (r as Cell[])[i] ?? null };
}

/** A column of a virtual table: its name and how one record gives its cell. */
type VColumn<R> = readonly [name: string, cell: (record: R) => Cell];

function lazyTable<R>(columns: readonly VColumn<R>[], records: Iterable<R>): VTable {
  return { columns: columns.map(([name]) => name), records, cell: (r, i) => columns[i]![1](r as R) };
}

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

/**
 * A row of information_schema.tables: a table, or one of the system views (no `t`). The table's
 * rows and bytes, each a sum over all its partitions, are worked out once, on first use.
 */
interface TableRecord {
  schema: string;
  name: string;
  t?: SimTable;
  rows?: number;
  bytes?: number;
}

const avgRowLength = (rows: number, bytes: number): string => String(rows ? Math.floor(bytes / rows) : 0);
const rowsOf = (r: TableRecord, t: SimTable): number => (r.rows ??= tableRows(t));
const bytesOf = (r: TableRecord, t: SimTable): number => (r.bytes ??= tableBytes(t));

const TABLES: readonly VColumn<TableRecord>[] = [
  ['TABLE_CATALOG', () => 'internal'],
  ['TABLE_SCHEMA', (r) => r.schema],
  ['TABLE_NAME', (r) => r.name],
  ['TABLE_TYPE', (r) => (r.t ? tableType(r.t) : 'SYSTEM VIEW')],
  ['ENGINE', (r) => (r.t ? ENGINE_NAME[r.t.type] : 'SYSTEM VIEW')],
  ['VERSION', () => '10'],
  ['ROW_FORMAT', () => 'Dynamic'],
  ['TABLE_ROWS', (r) => (r.t ? String(rowsOf(r, r.t)) : '0')],
  ['AVG_ROW_LENGTH', (r) => (r.t ? avgRowLength(rowsOf(r, r.t), bytesOf(r, r.t)) : '0')],
  ['DATA_LENGTH', (r) => (r.t ? String(bytesOf(r, r.t)) : '0')],
  ['MAX_DATA_LENGTH', () => '0'],
  ['INDEX_LENGTH', () => '0'],
  ['DATA_FREE', () => null],
  ['AUTO_INCREMENT', () => null],
  ['CREATE_TIME', (r) => (r.t ? formatDateTime(r.t.createTime) : null)],
  ['UPDATE_TIME', (r) => (r.t ? formatDateTime(r.t.updateTime) : null)],
  ['CHECK_TIME', () => null],
  ['TABLE_COLLATION', () => 'utf-8'],
  ['CHECKSUM', () => null],
  ['CREATE_OPTIONS', () => ''],
  ['TABLE_COMMENT', (r) => (r.t ? r.t.comment : '')],
];

/** A row of information_schema.columns; what its type text says is worked out once, on first use. */
interface ColumnRecord {
  db: SimDatabase;
  t: SimTable;
  col: SimColumn;
  i: number;
  type?: { base: string; args: number[]; isNum: boolean; len: string | null };
}

function typeOf(r: ColumnRecord): NonNullable<ColumnRecord['type']> {
  if (r.type) return r.type;
  const base = r.col.type.replace(/\(.*$/, '').replace(/<.*$/, '');
  const args = /\(([^)]*)\)/.exec(r.col.type)?.[1]?.split(',').map(Number) ?? [];
  const isChar = ['varchar', 'char', 'string'].includes(base);
  const isNum = ['tinyint', 'smallint', 'int', 'bigint', 'largeint', 'decimal', 'decimalv3', 'float', 'double'].includes(base);
  return (r.type = { base, args, isNum, len: isChar ? String(args[0] ?? 2147483643) : null });
}

const DEFAULT_PRECISION: Record<string, number> = { tinyint: 3, smallint: 5, int: 10, bigint: 19, largeint: 39, float: 7, double: 15 };

const COLUMNS: readonly VColumn<ColumnRecord>[] = [
  ['TABLE_CATALOG', () => 'internal'],
  ['TABLE_SCHEMA', (r) => r.db.name],
  ['TABLE_NAME', (r) => r.t.name],
  ['COLUMN_NAME', (r) => r.col.name],
  ['ORDINAL_POSITION', (r) => String(r.i + 1)],
  ['COLUMN_DEFAULT', (r) => r.col.defaultValue ?? null],
  ['IS_NULLABLE', (r) => (r.col.nullable ? 'YES' : 'NO')],
  ['DATA_TYPE', (r) => typeOf(r).base],
  ['CHARACTER_MAXIMUM_LENGTH', (r) => typeOf(r).len],
  ['CHARACTER_OCTET_LENGTH', (r) => typeOf(r).len],
  ['NUMERIC_PRECISION', (r) => { const { isNum, args, base } = typeOf(r); return isNum ? String(args[0] ?? DEFAULT_PRECISION[base] ?? 9) : null; }],
  ['NUMERIC_SCALE', (r) => { const { isNum, args } = typeOf(r); return isNum ? String(args[1] ?? 0) : null; }],
  ['DATETIME_PRECISION', (r) => { const { base, args } = typeOf(r); return base.startsWith('datetime') ? String(args[0] ?? 0) : null; }],
  ['CHARACTER_SET_NAME', () => null],
  ['COLLATION_NAME', () => null],
  ['COLUMN_TYPE', (r) => r.col.type],
  ['COLUMN_KEY', (r) => (r.col.isKey ? KEY_MARK[r.t.keysType] : '')],
  ['EXTRA', () => ''],
  ['PRIVILEGES', () => 'SELECT'],
  ['COLUMN_COMMENT', (r) => r.col.comment],
  ['COLUMN_SIZE', (r) => typeOf(r).len],
  ['DECIMAL_DIGITS', () => null],
  ['GENERATION_EXPRESSION', () => null],
  ['SRS_ID', () => null],
];

/** What the rows of one table's partitions share, each worked out once, on first use. */
interface PartitionedTable {
  db: SimDatabase;
  t: SimTable;
  cols?: SimColumn[];
  types?: string;
  expression?: string;
}

/** A row of information_schema.partitions; its bytes (every cell of the partition read) worked out once, on first use. */
interface PartitionRecord {
  of: PartitionedTable;
  p: SimPartition;
  i: number;
  bytes?: number;
}

const partitionColumnsOf = (of: PartitionedTable): SimColumn[] => (of.cols ??= of.t.partitionColumns.map((n) => of.t.columns.find((c) => c.name === n)!).filter(Boolean));
const range = ({ of, p }: PartitionRecord): string => rangeText(p.item, partitionColumnsOf(of), (of.types ??= typesText(partitionColumnsOf(of))));
const expression = (of: PartitionedTable): string => (of.expression ??= of.t.partitionColumns.join(', '));
/** Bytes of the partition over all its replicas. */
const replicatedBytes = (r: PartitionRecord): number => (r.bytes ??= partitionBytes(r.p) * replicaCount(r.p.replicationAllocation));
// An unpartitioned table prints the string "NULL" (not SQL NULL) for its expression and description.
const unpartitioned = (r: PartitionRecord): boolean => r.of.t.partitionType === 'UNPARTITIONED';

const PARTITIONS: readonly VColumn<PartitionRecord>[] = [
  ['TABLE_CATALOG', () => 'internal'],
  ['TABLE_SCHEMA', (r) => r.of.db.name],
  ['TABLE_NAME', (r) => r.of.t.name],
  ['PARTITION_NAME', (r) => r.p.name],
  ['SUBPARTITION_NAME', () => null],
  ['PARTITION_ORDINAL_POSITION', (r) => String(r.i + 1)],
  ['SUBPARTITION_ORDINAL_POSITION', () => null],
  ['PARTITION_METHOD', (r) => r.of.t.partitionType],
  ['SUBPARTITION_METHOD', () => null],
  ['PARTITION_EXPRESSION', (r) => (unpartitioned(r) ? 'NULL' : expression(r.of))],
  ['SUBPARTITION_EXPRESSION', () => null],
  ['PARTITION_DESCRIPTION', (r) => (unpartitioned(r) ? 'NULL' : range(r))],
  ['TABLE_ROWS', (r) => String(r.p.rows.length)],
  ['AVG_ROW_LENGTH', (r) => avgRowLength(r.p.rows.length, replicatedBytes(r))],
  ['DATA_LENGTH', (r) => String(replicatedBytes(r))],
  ['MAX_DATA_LENGTH', () => '0'],
  ['INDEX_LENGTH', () => '0'],
  ['DATA_FREE', () => '0'],
  ['CREATE_TIME', (r) => formatDateTime(r.of.t.createTime)],
  ['UPDATE_TIME', (r) => formatDateTime(r.p.visibleVersionTime)],
  ['CHECK_TIME', () => null],
  ['CHECKSUM', () => null],
  ['PARTITION_COMMENT', () => ''],
  ['NODEGROUP', () => null],
  ['TABLESPACE_NAME', () => null],
];

/** The columns newer versions add around those (PARTITION_ID first, the rest after). */
const PARTITIONS_WIDE: readonly VColumn<PartitionRecord>[] = [
  ['PARTITION_ID', (r) => String(r.p.id)],
  ...PARTITIONS,
  ['LOCAL_DATA_SIZE', (r) => String(replicatedBytes(r))],
  ['REMOTE_DATA_SIZE', () => '0'],
  ['STATE', () => 'NORMAL'],
  ['REPLICA_ALLOCATION', (r) => r.p.replicationAllocation],
  ['REPLICA_NUM', (r) => String(replicaCount(r.p.replicationAllocation))],
  ['STORAGE_POLICY', (r) => r.p.storagePolicy],
  ['STORAGE_MEDIUM', () => 'HDD'],
  ['COOLDOWN_TIME_MS', () => '253402271999000'],
  ['LAST_CONSISTENCY_CHECK_TIME', () => null],
  ['BUCKET_NUM', (r) => String(r.p.buckets)],
  ['COMMITTED_VERSION', (r) => String(r.p.visibleVersion)],
  ['VISIBLE_VERSION', (r) => String(r.p.visibleVersion)],
  ['PARTITION_KEY', (r) => expression(r.of)],
  ['RANGE', range],
  ['DISTRIBUTION', (r) => (r.of.t.distribution.type === 'HASH' ? `HASH(${r.of.t.distribution.columns.join(', ')})` : 'RANDOM')],
];

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

/** The virtual table `information_schema.<name>`, or an Unknown-table error where the version lacks it. */
export function infoSchemaTable(sim: Engine, session: Session, name: string, filter?: SchemaFilter): VTable {
  const lower = name.toLowerCase();
  switch (lower) {
    case 'tables': {
      const records = function* (): Generator<TableRecord> {
        if (!filter || filter('information_schema')) for (const view of SYSTEM_VIEWS) yield { schema: 'information_schema', name: view };
        for (const [db, t] of visibleTables(sim, session, filter)) yield { schema: db.name, name: t.name, t };
      };
      return lazyTable(TABLES, records());
    }
    case 'columns': {
      const records = function* (): Generator<ColumnRecord> {
        for (const [db, t] of visibleTables(sim, session, filter)) for (let i = 0; i < t.columns.length; i++) yield { db, t, col: t.columns[i]!, i };
      };
      return lazyTable(COLUMNS, records());
    }
    case 'schemata':
      return cellTable(
        ['CATALOG_NAME', 'SCHEMA_NAME', 'DEFAULT_CHARACTER_SET_NAME', 'DEFAULT_COLLATION_NAME', 'SQL_PATH', 'DEFAULT_ENCRYPTION'],
        Object.values(sim.world.databases).filter((d) => sim.canSee(session.user, d.name)).map((d) => ['internal', d.name, 'utf8', 'utf8_general_ci', null, 'NO']),
      );
    case 'partitions': {
      const records = function* (): Generator<PartitionRecord> {
        if (!sim.caps.partitionsPopulated) return;
        for (const [db, t] of visibleTables(sim, session, filter)) {
          if (t.type !== 'OLAP') continue;
          const of: PartitionedTable = { db, t };
          // Doris lists every partition, temporary ones too (after the others, unmarked): OlapTable.getAllPartitions().
          let i = 0;
          for (const p of t.partitions) yield { of, p, i: i++ };
          for (const p of t.tempPartitions) yield { of, p, i: i++ };
        }
      };
      return lazyTable(sim.caps.partitionsWide ? PARTITIONS_WIDE : PARTITIONS, records());
    }
    case 'table_properties': {
      if (!sim.caps.tableProperties) break;
      const rows = function* (): Generator<Cell[]> {
        for (const [db, t] of visibleTables(sim, session, filter)) {
          if (t.type !== 'OLAP' && t.type !== 'MATERIALIZED_VIEW') continue;
          for (const [key, value] of storedPropertyMap(t)) yield ['internal', db.name, t.name, key, value];
        }
      };
      return cellTable(['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'PROPERTY_NAME', 'PROPERTY_VALUE'], rows());
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
      return cellTable(columns, rows());
    }
  }
  throw codedError(1051, '42S02', `Unknown table '${name}'`);
}
