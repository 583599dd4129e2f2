// What a cluster can do, from its version (doris-facts.md Part A §1/§5, Part B §5.2/§9). Pure.
import type { DorisVersion } from '../catalog/model.js';

/** Parses `SELECT @@version_comment`, e.g. `Doris version doris-2.1.7-rc03-443e87e203 (Cloud Mode)`. */
export function parseVersionComment(comment: string): DorisVersion | undefined {
  const m = /doris-(\d+)\.(\d+)\.(\d+)/i.exec(comment);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), comment, cloud: /\(Cloud Mode\)\s*$/i.test(comment) };
}

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
}

export function capabilitiesOf(v: DorisVersion): Capabilities {
  return {
    asyncMv: atLeast(v, 2, 1),
    tableProperties: since(v, { '2.0': 999, '2.1': 6, '3.0': 0 }),
    tableOptions: since(v, { '2.0': 999, '2.1': 7, '3.0': 2 }),
    partitionsInfoSchema: since(v, { '2.0': 999, '2.1': 7, '3.0': 2 }),
    reserveColocate: v.major >= 4,
    atomicRestore: since(v, { '2.0': 16, '2.1': 7, '3.0': 3 }),
    forceReplace: since(v, { '2.0': 999, '2.1': 9, '3.0': 5 }),
    cleanTablesAndPartitions: since(v, { '2.0': 15, '2.1': 6, '3.0': 2 }),
    azureRepository: v.major < 3 ? 'none' : v.major === 3 ? 'public-endpoint-only' : 'custom-endpoint',
    cloudRefusesBackup: v.cloud,
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
