// The Catalog: what doris-migrate knows about one cluster after reading it. Pure data, no IO.
// Filled by catalog/reader.ts, consumed by plan/ (pure) and verify/.
import type { RestoreProperty } from '../doris/capabilities.js';

/** A Doris build, parsed from `SELECT @@version_comment`. */
export interface DorisVersion {
  major: number;
  minor: number;
  patch: number;
  /** The full version_comment string, e.g. `Doris version doris-2.1.7-rc03-443e87e203`. */
  comment: string;
  /** Storage-compute decoupled build: `(Cloud Mode)` at the end of version_comment. */
  cloud: boolean;
}

/** Facts about a cluster as a whole. */
export interface ClusterFacts {
  version: DorisVersion;
  /** The connected user has global ADMIN (repositories, SHOW PROC, SHOW SNAPSHOT need it). */
  isAdmin: boolean;
  /** Backends that are alive and not decommissioned. */
  aliveBackends: number;
}

export type KeyModel = 'DUPLICATE' | 'UNIQUE' | 'AGGREGATE';
export type PartitionType = 'RANGE' | 'LIST' | 'UNPARTITIONED';

export interface Column {
  name: string;
  /** Doris column type as printed by information_schema.columns COLUMN_TYPE, e.g. `varchar(32)`. */
  type: string;
  nullable: boolean;
  /** Part of the key (DUPLICATE/UNIQUE/AGGREGATE KEY list). */
  isKey: boolean;
  /** Aggregation of a value column of an AGGREGATE table (SUM, MAX, REPLACE, ...). */
  aggregation?: string;
}

export interface Partition {
  name: string;
  /** Doris's text of the range or list (SHOW PARTITIONS `Range`), '' for an unpartitioned table. */
  range: string;
  /** Size of all replicas, bytes (estimate: tablet reports lag loads). */
  dataBytes: number;
  /** Row count where the version reports it. */
  rows?: number;
  visibleVersion?: number;
  /** SHOW PARTITIONS `PartitionId`: a replaced partition (INSERT OVERWRITE, TRUNCATE, REPLACE) gets a new one. */
  id?: number;
  replicationNum?: number;
  /** Remote storage policy of this partition, if any. */
  storagePolicy?: string;
}

export interface Distribution {
  type: 'HASH' | 'RANDOM';
  columns: string[];
  /** Bucket count, or `AUTO` for `BUCKETS AUTO`. */
  buckets: number | 'AUTO';
}

/** A table of the internal catalog that holds data (OLAP), or a non-OLAP one we cannot back up. */
export interface Table {
  name: string;
  /**
   * `olap`: backed up and restored. `odbc`: backed up with its resource.
   * `external`: legacy MYSQL/BROKER/ES/HIVE/JDBC table, BACKUP refuses it.
   */
  kind: 'olap' | 'odbc' | 'external';
  /** information_schema.tables ENGINE (`Doris`, `MySQL`, ...). */
  engine: string;
  keyModel?: KeyModel;
  keyColumns: string[];
  columns: Column[];
  partitionType: PartitionType;
  partitionColumns: string[];
  distribution?: Distribution;
  partitions: Partition[];
  /** Names of temporary partitions: any one makes BACKUP refuse the table. */
  tempPartitions: string[];
  /** Replica allocation in Doris's form, e.g. `tag.location.default: 3`. */
  replicationAllocation?: string;
  /** Total replicas per tablet. */
  replicationNum?: number;
  /** The table's colocation group as the user named it (no `<dbId>_` prefix). */
  colocateGroup?: string;
  /** `dynamic_partition.*` settings with the prefix removed (`enable`, `time_unit`, ...). */
  dynamicPartition?: Record<string, string>;
  /** Table-level storage policy, or the first partition-level one. */
  storagePolicy?: string;
  /** Other table properties as Doris prints them. */
  properties: Record<string, string>;
  /** Synchronous materialized views (rollups): restored with their base table. */
  rollups: string[];
  /** Estimates from information_schema.tables / SHOW DATA. */
  rows: number;
  dataBytes: number;
  /** SHOW CREATE TABLE text, when the reader fetched it. */
  createSql?: string;
}

export interface View {
  name: string;
  /** The view's `CREATE VIEW` text. */
  createSql: string;
  /** Tables and views the definition names, qualified; used to warn about outside references. */
  references: QualifiedName[];
}

/** An asynchronous materialized view (MTMV, 2.1+): never in a snapshot, recreated from its DDL. */
export interface AsyncMaterializedView {
  name: string;
  /** `CREATE MATERIALIZED VIEW` text (SHOW CREATE MATERIALIZED VIEW, or rebuilt from mv_infos). */
  createSql: string;
  /** Base tables the query reads, qualified. */
  baseTables: QualifiedName[];
}

export interface QualifiedName {
  database: string;
  name: string;
}

export interface Database {
  name: string;
  /** CREATE DATABASE properties (e.g. replication_allocation). */
  properties: Record<string, string>;
  tables: Table[];
  views: View[];
  asyncMaterializedViews: AsyncMaterializedView[];
  /** Whether the reading user has LOAD on it (BACKUP and RESTORE need it); undefined when unknown. */
  canLoad?: boolean;
}

/** A colocation group (SHOW PROC '/colocation_group'). */
export interface ColocateGroup {
  database: string;
  /** The name users give in `colocate_with`. */
  name: string;
  buckets: number;
  replicationAllocation: string;
  /** Member tables in the order Doris lists them. */
  tables: string[];
}

/** A catalog other than `internal` (hms, iceberg, jdbc, ...): never migrated by BACKUP. */
export interface ExternalCatalog {
  name: string;
  type: string;
}

export interface Catalog {
  cluster: ClusterFacts;
  databases: Database[];
  colocateGroups: ColocateGroup[];
  externalCatalogs: ExternalCatalog[];
  /** System databases present on the cluster and never migrated. */
  systemDatabases: string[];
}

/** Databases Doris creates itself; never migrated. */
export const SYSTEM_DATABASES: readonly string[] = ['information_schema', 'mysql', '__internal_schema'];

/** A table on the target that the plan would restore onto, and whether its schema differs. */
export interface ExistingTable {
  database: string;
  name: string;
  /** Why it differs from the source table (columns, key model, partitioning, buckets), if it does. */
  difference?: string;
}

/** What the planner must know about the target before it plans (catalog/preflight.ts). */
export interface TargetFacts {
  cluster: ClusterFacts;
  /** Target databases that already exist, by name. */
  existingDatabases: string[];
  /** Tables that already exist under the names the plan would restore to. */
  existingTables: ExistingTable[];
  /**
   * Every table, view and materialized view name in each target database the plan restores into
   * (an alias must avoid all of them, an earlier migration's `<name>_migrated` included).
   */
  takenNames?: Record<string, string[]>;
  /**
   * RESTORE properties the target itself said it accepts (true) or not (false), probed on a live
   * database; absent or undefined where it could not be asked, and the version table decides.
   */
  restoreProperties?: Partial<Record<RestoreProperty, boolean | undefined>>;
}
