// The simulator's world: databases, tables, partitions and rows, users, resources and policies.
// Plain JSON-serialisable data so it persists as-is (persist.ts).

/** A value as the text protocol carries it; null is SQL NULL. */
export type Cell = string | null;

export interface SimColumn {
  name: string;
  /** Type as written in DDL, normalised to lower case (e.g. `varchar(32)`, `decimal(10,2)`). */
  type: string;
  nullable: boolean;
  isKey: boolean;
  aggregation?: string;
  defaultValue?: string | null;
  comment: string;
}

/** Bounds of a RANGE partition ([lower, upper)) or the value tuples of a LIST partition. */
export type PartitionItem =
  | { kind: 'range'; lower: string[]; upper: string[] | 'MAXVALUE' }
  | { kind: 'list'; values: string[][] }
  | { kind: 'none' };

export interface SimPartition {
  id: number;
  name: string;
  item: PartitionItem;
  visibleVersion: number;
  /** Simulated epoch ms. */
  visibleVersionTime: number;
  rows: Cell[][];
  replicationAllocation: string;
  storagePolicy: string;
  /** Data already moved to remote storage by a storage policy (BACKUP of it fails). */
  cooled: boolean;
  /** Simulator-only synthetic size, bytes, for tables too big to hold as rows. */
  syntheticBytes?: number;
  buckets: number;
  tabletIdBase: number;
}

export type TableType = 'OLAP' | 'VIEW' | 'MATERIALIZED_VIEW' | 'MYSQL' | 'ODBC' | 'BROKER' | 'ELASTICSEARCH' | 'HIVE' | 'JDBC';
export type KeysType = 'DUP_KEYS' | 'UNIQUE_KEYS' | 'AGG_KEYS';

export interface SimTable {
  id: number;
  name: string;
  type: TableType;
  columns: SimColumn[];
  keysType: KeysType;
  keyColumns: string[];
  partitionType: 'RANGE' | 'LIST' | 'UNPARTITIONED';
  partitionColumns: string[];
  /**
   * AUTO PARTITION (2.1+): INSERT creates the partition a row needs. RANGE tables name the
   * `date_trunc` unit (`day`, `month`, ...); LIST tables have no unit.
   */
  autoPartition?: { unit?: string };
  partitions: SimPartition[];
  tempPartitions: SimPartition[];
  distribution: { type: 'HASH' | 'RANDOM'; columns: string[]; buckets: number; auto: boolean };
  /** Stored properties as SHOW CREATE TABLE prints them (replication as allocation). */
  properties: Record<string, string>;
  rollups: { id: number; name: string; columns: string[] }[];
  /** INDEX definitions (inverted, ngram_bf, ...) from CREATE TABLE. */
  indexes?: { name: string; type: string; columns: string[] }[];
  comment: string;
  /** Views: the query text. MTMVs: the query text too. */
  query?: string;
  /** MTMVs: the text between the name and AS (columns, BUILD, REFRESH, keys, distribution, properties). */
  mvClauses?: string;
  /** MTMVs: mv_infos RefreshState. INIT until the first refresh (BUILD DEFERRED); refreshes finish at once here. */
  refreshState?: 'INIT' | 'SUCCESS';
  /** Non-OLAP tables: ENGINE properties (no secrets are ever shown). */
  engineProperties?: Record<string, string>;
  /** Table state (NORMAL, RESTORE, ...). */
  state: string;
  createTime: number;
  updateTime: number;
}

export interface SimDatabase {
  id: number;
  name: string;
  properties: Record<string, string>;
  tables: Record<string, SimTable>;
  createTime: number;
}

export type Privilege = 'ADMIN' | 'NODE' | 'GRANT' | 'SELECT' | 'LOAD' | 'ALTER' | 'CREATE' | 'DROP' | 'SHOW_VIEW';

export interface SimUser {
  name: string;
  host: string;
  /** SHA1(SHA1(password)) hex, as mysql_native_password stores it; '' for no password. */
  passwordHash: string;
  global: Privilege[];
  databases: Record<string, Privilege[]>;
  roles: string[];
}

export interface SimWorld {
  nextId: number;
  databases: Record<string, SimDatabase>;
  users: Record<string, SimUser>;
  resources: Record<string, { name: string; type: string; properties: Record<string, string> }>;
  storagePolicies: Record<string, { name: string; resource: string; cooldownTtl: string; cooldownDatetime: string; id: number }>;
  catalogs: Record<string, { id: number; name: string; type: string; properties: Record<string, string>; createTime: number }>;
  /** Backends in the cluster and how many of them are alive. */
  backends: { total: number; alive: number };
  /** State owned by extensions (repositories, jobs), keyed by extension name. */
  extensions: Record<string, unknown>;
}

export function emptyWorld(): SimWorld {
  return {
    nextId: 10000,
    databases: {},
    users: {},
    resources: {},
    storagePolicies: {},
    catalogs: {},
    backends: { total: 3, alive: 3 },
    extensions: {},
  };
}

export function allocId(world: SimWorld, count = 1): number {
  const id = world.nextId;
  world.nextId += count;
  return id;
}

/** Bytes per replica of a partition: synthetic size, or a deterministic estimate from its rows. */
export function partitionBytes(p: SimPartition): number {
  if (p.syntheticBytes !== undefined) return p.syntheticBytes;
  let bytes = 0;
  for (const row of p.rows) for (const cell of row) bytes += cell === null ? 1 : cell.length + 1;
  return bytes;
}

/** Replicas an allocation text (`tag.location.default: 3`) asks for; a world has few distinct texts. */
const replicaCounts = new Map<string, number>();
export function replicaCount(allocation: string): number {
  let n = replicaCounts.get(allocation);
  if (n === undefined) {
    n = allocation.split(',').reduce((sum, part) => sum + Number(part.split(':')[1] ?? 0), 0);
    if (replicaCounts.size > 1000) replicaCounts.clear();
    replicaCounts.set(allocation, n);
  }
  return n;
}

export function tableBytes(t: SimTable, withReplicas = true): number {
  return t.partitions.reduce((s, p) => s + partitionBytes(p) * (withReplicas ? replicaCount(p.replicationAllocation) : 1), 0);
}

export const tableRows = (t: SimTable): number => t.partitions.reduce((s, p) => s + p.rows.length, 0);

/** The first partition-level or table-level storage policy, or ''. */
export const tableStoragePolicy = (t: SimTable): string =>
  t.properties.storage_policy ?? t.partitions.find((p) => p.storagePolicy)?.storagePolicy ?? '';
