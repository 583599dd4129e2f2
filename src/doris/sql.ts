// One builder per statement doris-migrate sends. Every name goes through quoteIdent, every value
// through quoteString. Shapes follow doris-facts.md Part B §8.1. Pure.
import { usageError } from '../errors.js';
import { propertiesClause, quoteIdent, quoteQualified, quoteString } from './quote.js';

export interface TableSelector {
  name: string;
  partitions?: string[];
  alias?: string;
}

const onClause = (tables: TableSelector[] | undefined, withAlias: boolean): string => {
  if (!tables || tables.length === 0) return '';
  const refs = tables.map((t) => {
    let s = quoteIdent(t.name);
    if (t.partitions?.length) s += ` PARTITION (${t.partitions.map(quoteIdent).join(', ')})`;
    if (withAlias && t.alias) s += ` AS ${quoteIdent(t.alias)}`;
    return s;
  });
  return ` ON (${refs.join(', ')})`;
};

export const sql = {
  createRepository: (o: { name: string; readOnly: boolean; storageType: 'S3' | 'HDFS'; location: string; properties: Record<string, string> }): string =>
    `CREATE ${o.readOnly ? 'READ ONLY ' : ''}REPOSITORY ${quoteIdent(o.name)} WITH ${o.storageType} ON LOCATION ${quoteString(o.location)} PROPERTIES ${propertiesClause(o.properties)}`,
  dropRepository: (name: string): string => `DROP REPOSITORY ${quoteIdent(name)}`,
  showRepositories: (): string => 'SHOW REPOSITORIES',
  createDatabase: (name: string, properties: Record<string, string> = {}): string =>
    `CREATE DATABASE IF NOT EXISTS ${quoteIdent(name)}${Object.keys(properties).length ? ` PROPERTIES ${propertiesClause(properties)}` : ''}`,
  backup: (o: { database: string; label: string; repository: string; tables?: TableSelector[]; properties?: Record<string, string> }): string =>
    `BACKUP SNAPSHOT ${quoteQualified(o.database, o.label)} TO ${quoteIdent(o.repository)}${onClause(o.tables, false)}${o.properties && Object.keys(o.properties).length ? ` PROPERTIES ${propertiesClause(o.properties)}` : ''}`,
  restore: (o: { database: string; label: string; repository: string; tables?: TableSelector[]; properties: Record<string, string> }): string =>
    `RESTORE SNAPSHOT ${quoteQualified(o.database, o.label)} FROM ${quoteIdent(o.repository)}${onClause(o.tables, true)} PROPERTIES ${propertiesClause(o.properties)}`,
  showBackup: (database: string, label?: string): string => `SHOW BACKUP FROM ${quoteIdent(database)}${label ? ` WHERE SnapshotName = ${quoteString(label)}` : ''}`,
  /** `brief`: SHOW BRIEF RESTORE, without the per-table RestoreObjs JSON (what watching needs). */
  showRestore: (database: string, label?: string, brief = false): string => `SHOW ${brief ? 'BRIEF ' : ''}RESTORE FROM ${quoteIdent(database)}${label ? ` WHERE Label = ${quoteString(label)}` : ''}`,
  showSnapshot: (repository: string, label?: string, timestamp?: string): string =>
    `SHOW SNAPSHOT ON ${quoteIdent(repository)}${label ? ` WHERE SNAPSHOT = ${quoteString(label)}${timestamp ? ` AND TIMESTAMP = ${quoteString(timestamp)}` : ''}` : ''}`,
  cancelBackup: (database: string): string => `CANCEL BACKUP FROM ${quoteIdent(database)}`,
  cancelRestore: (database: string): string => `CANCEL RESTORE FROM ${quoteIdent(database)}`,
  alterTableSet: (database: string, table: string, properties: Record<string, string>): string =>
    `ALTER TABLE ${quoteQualified(database, table)} SET ${propertiesClause(properties)}`,
  /** Catch-up `--drop-removed`: IF EXISTS, so a rerun after a crash changes nothing. */
  dropPartition: (database: string, table: string, partition: string): string => `ALTER TABLE ${quoteQualified(database, table)} DROP PARTITION IF EXISTS ${quoteIdent(partition)}`,
  /** To Doris's recycle bin (no FORCE), so a mistaken drop can be recovered. */
  dropTable: (database: string, table: string): string => `DROP TABLE IF EXISTS ${quoteQualified(database, table)}`,
  refreshMaterializedView: (database: string, name: string): string => `REFRESH MATERIALIZED VIEW ${quoteQualified(database, name)} COMPLETE`,
  use: (database: string): string => `USE ${quoteIdent(database)}`,
  /** A session variable of ours (a plain name, a word or number as its value), as the FE takes it unquoted. */
  setSessionVariable: (name: string, value: string): string => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !/^[\w.]+$/.test(value)) throw new Error(`not a session variable assignment: ${name} = ${value}`);
    return `SET ${name} = ${value}`;
  },
  showCreateTable: (database: string, table: string): string => `SHOW CREATE TABLE ${quoteQualified(database, table)}`,
  showCreateMaterializedView: (database: string, name: string): string => `SHOW CREATE MATERIALIZED VIEW ${quoteQualified(database, name)}`,
  showPartitions: (database: string, table: string, temporary = false): string => `SHOW ${temporary ? 'TEMPORARY ' : ''}PARTITIONS FROM ${quoteQualified(database, table)}`,
  /** Every index of an OLAP table (`IndexName` on each index's first row): the table, then its rollups. Needs no current database. */
  describeAll: (database: string, table: string): string => `DESC ${quoteQualified(database, table)} ALL`,
  showDynamicPartitionTables: (database: string): string => `SHOW DYNAMIC PARTITION TABLES FROM ${quoteIdent(database)}`,
  mvInfos: (database: string): string => `SELECT * FROM mv_infos("database" = ${quoteString(database)})`,
  /** `SELECT cols FROM information_schema.<table> WHERE TABLE_SCHEMA IN (...)` (all user databases when none given). */
  infoSchema: (table: string, columns: string[], databases?: string[], excluded: readonly string[] = []): string => {
    const where = databases ? `TABLE_SCHEMA IN (${databases.map(quoteString).join(', ')})` : `TABLE_SCHEMA NOT IN (${excluded.map(quoteString).join(', ')})`;
    return `SELECT ${columns.map(quoteIdent).join(', ')} FROM information_schema.${quoteIdent(table)} WHERE ${where}`;
  },
  /** `SHOW PROC '/dbs/<id>'`: table ids of one database (ids come from SHOW PROC '/colocation_group'). */
  showProcDatabase: (dbId: string): string => {
    if (!/^\d+$/.test(dbId)) throw usageError('bad-database-id', `'${dbId}' is not a Doris database id (digits only)`);
    return `SHOW PROC '/dbs/${dbId}'`;
  },
  countRows: (database: string, table: string, partition?: string): string =>
    `SELECT COUNT(*) AS n FROM ${quoteQualified(database, table)}${partition ? ` PARTITION (${quoteIdent(partition)})` : ''}`,
} as const;
