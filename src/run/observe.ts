// Reading what the clusters say about our jobs (IO through DorisClient).
import type { DorisClient } from '../doris/client.js';
import { parseBackupRow, parseRestoreRow, parseSnapshotRow, type JobRow } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import type { Observation } from './reconcile.js';
import { stepFailedError } from '../errors.js';

/**
 * The backup or restore jobs of a database that carry `label`, oldest first (SHOW BACKUP / SHOW
 * RESTORE; `brief`: SHOW BRIEF RESTORE, whose rows lack RestoreObjs, Progress and TaskErrMsg).
 */
export async function jobsWithLabel(client: DorisClient, kind: 'backup' | 'restore', database: string, label: string, brief = false): Promise<JobRow[]> {
  const rows = kind === 'backup' ? (await client.query(sql.showBackup(database, label))).map(parseBackupRow) : (await client.query(sql.showRestore(database, label, brief))).map(parseRestoreRow);
  return rows.filter((j) => j.label === label);
}

export async function observeBackup(client: DorisClient, repository: string, database: string, label: string): Promise<Observation> {
  const jobs = await jobsWithLabel(client, 'backup', database, label);
  // While our job runs (or once it is cancelled) the repository has nothing to add, and SHOW
  // SNAPSHOT lists the whole repository on the FE: ask it only when the job finished (for the
  // timestamp) or is gone (reconcile). Watching a job thus costs one statement per poll.
  const last = jobs.at(-1);
  if (last && last.state !== 'FINISHED') return { jobs };
  const [snap] = (await client.query(sql.showSnapshot(repository, label))).map(parseSnapshotRow);
  // A listing failure says nothing about our label: stop rather than guess.
  if (snap?.status.startsWith('ERROR: Failed to get info')) {
    throw stepFailedError('repository-unreadable', `SHOW SNAPSHOT ON ${repository} cannot read the repository (${snap.status.replace(/^ERROR: /, '')}): check that the repository is reachable from the source backends, then run apply again`);
  }
  // SHOW SNAPSHOT returns a row even for an unknown label; only a status other than the
  // "no info file" one, or a timestamp, means files exist.
  const exists = snap !== undefined && (snap.timestamp !== undefined || (snap.status !== 'ERROR: No info file found' && snap.status !== ''));
  return { jobs, snapshot: { exists, ...(snap?.timestamp ? { timestamp: snap.timestamp } : {}) } };
}

export async function observeRestore(client: DorisClient, database: string, label: string, brief = false): Promise<Observation> {
  return { jobs: await jobsWithLabel(client, 'restore', database, label, brief) };
}
