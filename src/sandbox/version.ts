// Which Doris build the simulator impersonates, and every behaviour that depends on it.
// All version gates live here so a reader can see, in one page, what differs between lines.

/** A Doris build the simulator speaks. */
export interface SimVersion {
  major: number;
  minor: number;
  patch: number;
  /** Storage-compute decoupled build (3.0+ only). */
  cloud: boolean;
}

const DEFAULT_PATCH: Record<string, string> = {
  '2.0': '2.0.15',
  '2.1': '2.1.7',
  '3.0': '3.0.3',
  '4.0': '4.0.1',
  cloud: '3.0.3',
};

/** Parses `2.0`, `2.1.7`, `3.0`, `4.0`, `cloud` or `cloud-3.0.2`; throws on anything else. */
export function parseSimVersion(text: string): SimVersion {
  const cloud = text === 'cloud' || text.startsWith('cloud-');
  const bare = cloud ? (text === 'cloud' ? DEFAULT_PATCH.cloud! : text.slice('cloud-'.length)) : text;
  const full = DEFAULT_PATCH[bare] ?? bare;
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(full);
  if (!m) throw new Error(`unknown Doris version '${text}': use 2.0, 2.1, 3.0, 4.0, cloud or a build like 2.1.7`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const line = `${major}.${minor}`;
  if (!['2.0', '2.1', '3.0', '4.0'].includes(line)) throw new Error(`unsupported Doris line '${line}': use 2.0, 2.1, 3.0 or 4.0`);
  if (cloud && major < 3) throw new Error('cloud mode exists only from 3.0');
  return { major, minor, patch, cloud };
}

export const versionText = (v: SimVersion): string => `${v.major}.${v.minor}.${v.patch}`;

/** `Doris version doris-2.1.7-rc01-5a1c4e2b3d` (+ ` (Cloud Mode)`), as @@version_comment prints it. */
export function versionComment(v: SimVersion): string {
  return `Doris version doris-${versionText(v)}-rc01-5a1c4e2b3d${v.cloud ? ' (Cloud Mode)' : ''}`;
}

/** True when the build is at least `line.patch` on its own line, or on any newer line. */
export function atLeast(v: SimVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major || v.minor !== minor) return v.major * 100 + v.minor > major * 100 + minor;
  return v.patch >= patch;
}

/** Per-line patch thresholds: `since(v, {'2.1': 6, '3.0': 2})` — lines not listed and newer than all listed pass. */
function since(v: SimVersion, patches: Record<string, number>): boolean {
  const line = `${v.major}.${v.minor}`;
  const p = patches[line];
  if (p !== undefined) return v.patch >= p;
  const lines = Object.keys(patches).map(Number);
  return v.major + v.minor / 10 > Math.max(...lines);
}

/** Named behaviours by version (doris-facts.md Part A; Part B adds the job ones). */
export function capabilities(v: SimVersion) {
  return {
    /** AUTO PARTITION BY RANGE (date_trunc(...)) / LIST: partitions made by INSERT. */
    autoPartition: atLeast(v, 2, 1),
    /** Async materialized views (MTMV) and mv_infos(). */
    asyncMv: atLeast(v, 2, 1),
    /** mv_infos() still has the EnvInfo column (early 2.1). */
    mvInfosEnvInfo: v.major === 2 && v.minor === 1 && v.patch < 7,
    /** information_schema.table_properties exists and is filled (absent from branch-3.0 before 3.0.2). */
    tableProperties: since(v, { '2.1': 6, '3.0': 2 }),
    /** SHOW PROC '/colocation_group' prints GroupName as `<dbName>.<name>` (2.0: `<dbId>_<name>`). */
    colocateGroupDbName: atLeast(v, 2, 1),
    /** information_schema.table_options exists and is filled. */
    tableOptions: since(v, { '2.1': 7, '3.0': 2 }),
    /** information_schema.partitions is filled (always empty before). */
    partitionsPopulated: since(v, { '2.1': 7, '3.0': 2 }),
    /** master-era partitions columns (PARTITION_ID first, sizes, versions...). */
    partitionsWide: atLeast(v, 4, 0),
    /** SHOW PARTITIONS has SyncWithBaseTables/UnsyncTables (MTMV era) and CommittedVersion. */
    showPartitionsMtmvColumns: atLeast(v, 2, 1),
    /** SHOW PARTITIONS has RowCount. */
    showPartitionsRowCount: since(v, { '2.1': 7, '3.0': 2 }),
    /** SHOW DATA without a current database lists per-database totals. */
    showDataAllDatabases: atLeast(v, 2, 1),
    /** Access-denied text wraps the privilege in parentheses. */
    accessDeniedParens: atLeast(v, 2, 1),
    /** SHOW BACKENDS has ArrowFlightSqlPort / CpuCores / Memory / RunningTasks. */
    backendsNewColumns: atLeast(v, 2, 1),
    /** SHOW FRONTENDS uses the 3.0 column set (Host, ArrowFlightSqlPort, LastStartTime). */
    frontendsNewColumns: atLeast(v, 3, 0),
    /** SHOW CREATE TABLE on an async MV is refused (use SHOW CREATE MATERIALIZED VIEW). */
    showCreateTableRefusesMtmv: atLeast(v, 2, 1) && v.major < 4,
    /** Errors from the newest line always use errno 1105. */
    alwaysErrno1105: atLeast(v, 4, 0),
  };
}
export type Capabilities = ReturnType<typeof capabilities>;
