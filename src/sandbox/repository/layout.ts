// Names of a repository's objects (doris-facts.md Part B §7). Every uploaded file except
// __repo_info carries its md5 after the last dot; the __info_<ts> file marks a finished snapshot.
import { createHash } from 'node:crypto';

export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** `__palo_repository_<name>/` */
export const repoRoot = (repo: string): string => `__palo_repository_${repo}/`;
export const repoInfoKey = (repo: string): string => `${repoRoot(repo)}__repo_info`;
/** `__palo_repository_<name>/__ss_<label>/` */
export const snapshotDir = (repo: string, label: string): string => `${repoRoot(repo)}__ss_${label}/`;

/** Where one tablet's files live: `__ss_content/__db_<id>/__tbl_<id>/__part_<id>/__idx_<id>/__<tabletId>/`. */
export const tabletDir = (repo: string, label: string, ids: { db: number; table: number; partition: number; index: number; tablet: number }): string =>
  `${snapshotDir(repo, label)}__ss_content/__db_${ids.db}/__tbl_${ids.table}/__part_${ids.partition}/__idx_${ids.index}/__${ids.tablet}/`;

/** `name.<md5>` */
export const withChecksum = (name: string, body: Buffer): string => `${name}.${md5(body)}`;

/** Splits `name.<md5>` on the last dot; undefined when the suffix is not a 32-hex md5. */
export function decodeChecksum(file: string): { name: string; md5: string } | undefined {
  const dot = file.lastIndexOf('.');
  const sum = file.slice(dot + 1);
  return dot > 0 && /^[0-9a-f]{32}$/.test(sum) ? { name: file.slice(0, dot), md5: sum } : undefined;
}

/** A v2 rowset id: 48 hex characters starting `02`. */
export const rowsetId = (seed: number): string => `02${seed.toString(16).padStart(46, '0')}`;
