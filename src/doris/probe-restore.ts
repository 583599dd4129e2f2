// Asks a live FE which RESTORE properties it accepts (doris-facts.md Part B §5.2). Doris parses
// PROPERTIES before any submission check, so a RESTORE naming a repository that does not exist
// fails either with `Unknown restore job properties: [key]` (not supported) or with a later error
// (supported). The repository and snapshot named below never exist, so no job is ever created.
import { MigrateError, ExitCode } from '../errors.js';
import { DorisQueryError, type DorisClient } from './client.js';
import type { RestoreProperty } from './capabilities.js';
import { sql } from './sql.js';

/** A repository name no one uses: even a property Doris accepts fails on it before any job exists. */
export const PROBE_REPOSITORY = '__doris_migrate_probe_no_such_repository__';

/** The one statement a probe of `key` sends (exported for the runbook and tests). */
export const probeStatement = (database: string, key: RestoreProperty): string =>
  sql.restore({ database, label: PROBE_REPOSITORY, repository: PROBE_REPOSITORY, properties: { backup_timestamp: 'probe', [key]: 'probe' } });

/**
 * For each key: true (accepted), false (Doris says unknown), or undefined when the answer says
 * nothing about the key (e.g. access denied before parsing). One statement per key, because the
 * first accepted key's value error would hide the others.
 */
export async function probeRestoreProperties(client: DorisClient, database: string, keys: readonly RestoreProperty[]): Promise<Partial<Record<RestoreProperty, boolean | undefined>>> {
  const out: Partial<Record<RestoreProperty, boolean | undefined>> = {};
  for (const key of keys) {
    if (key === 'backup_timestamp') {
      out[key] = true;
      continue;
    }
    try {
      await client.query(probeStatement(database, key));
    } catch (e) {
      if (!(e instanceof DorisQueryError)) throw e;
      const unknown = /Unknown restore job properties: \[([^\]]*)\]/.exec(e.detail);
      if (unknown) out[key] = !unknown[1]!.split(',').map((s) => s.trim()).includes(key);
      else out[key] = /Access denied|No database selected|Unknown database/i.test(e.detail) ? undefined : true;
      continue;
    }
    // Unreachable on Doris (the repository does not exist); refuse to guess if it ever happens.
    throw new MigrateError('probe-accepted', `${client.address} accepted a RESTORE from the non-existent repository ${PROBE_REPOSITORY}: check SHOW RESTORE and cancel it`, ExitCode.StepFailed);
  }
  return out;
}
