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

/**
 * SHOW PARTITIONS of the step's tables (`isTable` tells them from the views a batch also carries),
 * restricted to the partitions it backs up.
 */
export async function versionsBeforeBackup(source: DorisClient, step: BackupStep, isTable: (name: string) => boolean): Promise<Captured> {
  const tables = step.tables.filter((t) => isTable(t.name));
  const read = await readPartitionVersions(source, tables.map((t) => ({ database: step.database, name: t.name })));
  const out: Captured = {};
  for (const t of tables) {
    const parts: Record<string, [number, number]> = {};
    for (const p of read.get(`${step.database}\u0000${t.name}`) ?? []) {
      if (t.partitions && !t.partitions.includes(p.name)) continue;
      if (p.id !== undefined && p.visibleVersion !== undefined) parts[p.name] = [p.id, p.visibleVersion];
    }
    out[t.name] = parts;
  }
  return out;
}

/**
 * Once the backup finished: the snapshot's own versions replace the read-before ones where the
 * repository can be read; the note says which the state keeps.
 */
export async function noteSnapshotVersions(repository: RepositoryBackend | undefined, repo: string, s: StepState): Promise<string> {
  if (!repository || !s.label || !s.backupTimestamp) return 'partition versions as read before the backup';
  const versions = await repository.snapshotVersions(repo, s.label, s.backupTimestamp);
  // Nothing recorded: a catch-up copies these tables' partitions again rather than guess.
  if (typeof versions === 'string') return `partition versions unknown (${versions}): a catch-up copies these partitions again`;
  s.captured = versions;
  s.capturedFrom = 'snapshot';
  return "partition versions from the snapshot's job info";
}
