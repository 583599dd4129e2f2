// The point-in-time copy a backup takes in SNAPSHOTING, kept on disk until the job ends. Doris's
// backends keep their snapshots on disk and the FE logs where they are (BackupJob.java: the job
// is logged on entering UPLOAD_SNAPSHOT with its snapshot infos), so a backup that outlives an FE
// restart still uploads the data as it was at the snapshot, not as it is after the restart.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomicSync } from '../atomic-write.js';
import type { SnapshotMeta } from '../repository/snapshots.js';
import type { BackupJob } from './model.js';

export interface BackupSnapshots {
  save(job: BackupJob, meta: SnapshotMeta): void;
  load(job: BackupJob): SnapshotMeta | undefined;
  drop(job: BackupJob): void;
  /** Removes the copies of jobs no longer running (ended, or cancelled while the simulator was up). */
  keepOnly(running: BackupJob[]): void;
}

export function backupSnapshots(dataDir: string): BackupSnapshots {
  const dir = join(dataDir, 'backup-snapshots');
  const file = (job: BackupJob): string => join(dir, `${job.key}.json`);
  return {
    save(job, meta) {
      mkdirSync(dir, { recursive: true });
      // Written before the job's next state can reach world.json, and atomically.
      writeAtomicSync(file(job), (fd) => writeFileSync(fd, JSON.stringify(meta)));
    },
    load(job) {
      return existsSync(file(job)) ? (JSON.parse(readFileSync(file(job), 'utf8')) as SnapshotMeta) : undefined;
    },
    drop(job) {
      rmSync(file(job), { force: true });
    },
    keepOnly(running) {
      if (!existsSync(dir)) return;
      const keep = new Set(running.map((j) => `${j.key}.json`));
      for (const name of readdirSync(dir)) if (!keep.has(name)) rmSync(join(dir, name), { force: true });
    },
  };
}
