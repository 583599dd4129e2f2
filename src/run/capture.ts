// What each backup captured, for catch-up: the PartitionId and version of every partition its
// snapshot holds. Read from the snapshot's job info in the repository where we can reach it;
// otherwise SHOW PARTITIONS read just before the BACKUP is sent, which is never later than the
// snapshot (a write in between is found again by the next catch-up).
import type { DorisClient } from '../doris/client.js';
import { readPartitionVersions } from '../catalog/partition-versions.js';
import type { BackupStep } from '../plan/schema.js';
import type { RepositoryBackend } from '../storage/backend.js';
import type { StepState } from './state-model.js';

type Captured = NonNullable<StepState['captured']>;

/** SHOW PARTITIONS of the step's tables, restricted to the partitions it backs up. */
export async function versionsBeforeBackup(source: DorisClient, step: BackupStep): Promise<Captured> {
  const read = await readPartitionVersions(source, step.tables.map((t) => ({ database: step.database, name: t.name })));
  const out: Captured = {};
  for (const t of step.tables) {
    const parts: Record<string, [number, number]> = {};
    for (const p of read.get(`${step.database}\u0000${t.name}`) ?? []) {
      if (t.partitions && !t.partitions.includes(p.name)) continue;
      if (p.id !== undefined && p.visibleVersion !== undefined) parts[p.name] = [p.id, p.visibleVersion];
    }
    out[t.name] = parts;
  }
  return out;
}

/** Records the read-before versions on the step (before the BACKUP is sent). */
export async function noteVersionsBeforeBackup(source: DorisClient, step: BackupStep, s: StepState): Promise<void> {
  s.captured = await versionsBeforeBackup(source, step);
  s.capturedFrom = 'before-backup';
}

/**
 * Once the backup finished: the snapshot's own versions replace the read-before ones where the
 * repository can be read; the note says which the state keeps.
 */
export async function noteSnapshotVersions(repository: RepositoryBackend | undefined, repo: string, s: StepState): Promise<string> {
  if (!repository || !s.label || !s.backupTimestamp) return 'partition versions as read before the backup';
  const versions = await repository.snapshotVersions(repo, s.label, s.backupTimestamp);
  if (typeof versions === 'string') return `partition versions as read before the backup (${versions})`;
  s.captured = versions;
  s.capturedFrom = 'snapshot';
  return "partition versions from the snapshot's job info";
}
