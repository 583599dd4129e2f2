// What a cluster can do, from its version (doris-facts.md Part A §1/§5, Part B §5.2/§9). Pure.
import type { DorisVersion } from '../catalog/model.js';

/** Parses `SELECT @@version_comment`, e.g. `Doris version doris-2.1.7-rc03-443e87e203 (Cloud Mode)`. */
export function parseVersionComment(comment: string): DorisVersion | undefined {
  const m = /doris-(\d+)\.(\d+)\.(\d+)/i.exec(comment);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), comment, cloud: /\(Cloud Mode\)\s*$/i.test(comment) };
}

/** A version as a plan writes it (`2.1.7`); 0.0.0, older than every line, when it cannot be read. */
export const planVersion = (version: string): Pick<DorisVersion, 'major' | 'minor' | 'patch'> => parseVersionComment(`doris-${version}`) ?? { major: 0, minor: 0, patch: 0 };

export const versionString = (v: Pick<DorisVersion, 'major' | 'minor' | 'patch'>): string => `${v.major}.${v.minor}.${v.patch}`;

/** At least `line.patch` on that line, or any newer line. */
export function atLeast(v: Pick<DorisVersion, 'major' | 'minor' | 'patch'>, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major || v.minor !== minor) return v.major * 100 + v.minor > major * 100 + minor;
  return v.patch >= patch;
}

/** Per line: the first patch with the feature (lines newer than all listed have it). */
function since(v: DorisVersion, patches: Partial<Record<'2.0' | '2.1' | '3.0', number>>): boolean {
  const p = patches[`${v.major}.${v.minor}` as '2.0'];
  if (p !== undefined) return v.patch >= p;
  return v.major >= 4 || (v.major === 3 && v.minor > 0);
}

export interface Capabilities {
  asyncMv: boolean;
  tableProperties: boolean;
  tableOptions: boolean;
  partitionsInfoSchema: boolean;
  /** Backups keep colocate_with and RESTORE takes reserve_colocate. */
  reserveColocate: boolean;
  atomicRestore: boolean;
  forceReplace: boolean;
  cleanTablesAndPartitions: boolean;
  azureRepository: 'none' | 'public-endpoint-only' | 'custom-endpoint';
  /** BACKUP/RESTORE are refused (storage-compute decoupled build). */
  cloudRefusesBackup: boolean;
  /** SHOW BRIEF RESTORE (the columns of SHOW RESTORE without RestoreObjs, Progress, TaskErrMsg; PR #20653, every 2.0 build). */
  showBriefRestore: boolean;
  /** Restore jobs pass through CREATING between PENDING and SNAPSHOTING (a tool accepts it anywhere). */
  restoreCreatingState: boolean;
  /** RESTORE PROPERTIES keys this build accepts; any other key fails with `Unknown restore job properties`. */
  restoreProperties: readonly RestoreProperty[];
}

/** Every RESTORE property some Doris line accepts (doris-facts.md Part B §5.2). */
export const RESTORE_PROPERTIES = [
  'timeout', 'allow_load', 'replication_num', 'replication_allocation', 'reserve_replica', 'reserve_colocate',
  'reserve_dynamic_partition_enable', 'backup_timestamp', 'meta_version', 'storage_vault_name', 'is_being_synced',
  'clean_tables', 'clean_partitions', 'atomic_restore', 'force_replace',
] as const;
export type RestoreProperty = (typeof RESTORE_PROPERTIES)[number];

export function capabilitiesOf(v: DorisVersion): Capabilities {
  const cleanTablesAndPartitions = since(v, { '2.0': 15, '2.1': 6, '3.0': 2 });
  const atomicRestore = since(v, { '2.0': 16, '2.1': 7, '3.0': 3 });
  const forceReplace = since(v, { '2.0': 999, '2.1': 9, '3.0': 5 });
  const reserveColocate = v.major >= 4;
  const has: Record<RestoreProperty, boolean> = {
    timeout: true, allow_load: true, replication_num: true, replication_allocation: true, reserve_replica: true,
    reserve_dynamic_partition_enable: true, backup_timestamp: true, meta_version: true, is_being_synced: true,
    reserve_colocate: reserveColocate, storage_vault_name: v.major >= 4 && v.cloud,
    clean_tables: cleanTablesAndPartitions, clean_partitions: cleanTablesAndPartitions, atomic_restore: atomicRestore, force_replace: forceReplace,
  };
  return {
    asyncMv: atLeast(v, 2, 1),
    tableProperties: since(v, { '2.0': 999, '2.1': 6, '3.0': 2 }),
    tableOptions: since(v, { '2.0': 999, '2.1': 7, '3.0': 2 }),
    partitionsInfoSchema: since(v, { '2.0': 999, '2.1': 7, '3.0': 2 }),
    reserveColocate,
    atomicRestore,
    forceReplace,
    cleanTablesAndPartitions,
    azureRepository: v.major < 3 ? 'none' : v.major === 3 ? 'public-endpoint-only' : 'custom-endpoint',
    cloudRefusesBackup: v.cloud,
    showBriefRestore: atLeast(v, 2, 0),
    restoreCreatingState: since(v, { '2.0': 16, '2.1': 8, '3.0': 3 }),
    restoreProperties: RESTORE_PROPERTIES.filter((k) => has[k]),
  };
}

/**
 * Capabilities corrected by a live probe of RESTORE properties (doris/probe-restore.ts): patch
 * builds and vendor forks do not always follow the version table, and the cluster's own answer wins.
 * Keys the probe could not decide (undefined) keep the version table's answer.
 */
export function withProbedRestoreProperties(caps: Capabilities, probed: Partial<Record<RestoreProperty, boolean | undefined>>): Capabilities {
  const has = (k: RestoreProperty): boolean => probed[k] ?? caps.restoreProperties.includes(k);
  return {
    ...caps,
    atomicRestore: has('atomic_restore'),
    forceReplace: has('force_replace'),
    reserveColocate: has('reserve_colocate'),
    cleanTablesAndPartitions: has('clean_tables') && has('clean_partitions'),
    restoreProperties: RESTORE_PROPERTIES.filter(has),
  };
}

/**
 * Snapshots from 2.x cannot be read by the newest line (it dropped the pre-3.0 meta reader);
 * and no line restores a newer line's snapshot. Returns why not, or undefined when it can.
 */
export function crossVersionProblem(source: DorisVersion, target: DorisVersion): string | undefined {
  if (source.major === 2 && target.major >= 4) return `a ${versionString(source)} snapshot cannot be restored on ${versionString(target)} (4.x reads only 3.0+ snapshots): migrate to a 3.x cluster first`;
  if (source.major * 100 + source.minor > target.major * 100 + target.minor) return `a ${versionString(source)} snapshot cannot be restored on the older ${versionString(target)}: downgrades are not supported`;
  return undefined;
}
