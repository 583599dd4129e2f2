// Deterministic snapshot labels valid for Doris (`^[-_A-Za-z0-9:]{1,128}$`) whatever a database is
// called. Labels are unique per repository, so they carry the database, and the runner appends
// `_a<attempt>`. Pure.
import { createHash } from 'node:crypto';

/** Room left for the runner's `_a<attempt>` suffix. */
export const MAX_BASE_LABEL = 120;

const shortHash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 6);

/** `<prefix>_<readable db>_<hash of db>_b<batch>`: readable where possible, unique always. */
export function backupLabel(prefix: string, database: string, batch: number): string {
  const readable = database.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'db';
  return `${prefix}_${readable}_${shortHash(database)}_b${batch}`.slice(0, MAX_BASE_LABEL);
}

/** The label actually sent to Doris for an attempt. */
export const attemptLabel = (base: string, attempt: number): string => `${base}_a${attempt}`;
