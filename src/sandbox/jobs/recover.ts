// What a restarted FE makes of the BACKUP/RESTORE jobs it reads back. Doris writes a job to its
// edit log at submission and at some state changes only; a job caught between two logged states
// comes back in the last logged one and redoes the work from there (BackupJob.java: "DO NOT write
// log here" after SNAPSHOTING and UPLOADING; RestoreJob.java: "No log here" for CREATING,
// SNAPSHOTING and COMMITTING, and DOWNLOADING is entered without a log). The simulator's world
// file is written at any instant, so on start it puts each unfinished job back where Doris's
// replay would find it.
import type { Engine } from '../engine.js';
import { allocId } from '../store.js';
import { jobsState, type Job } from './model.js';
import { undoRestore } from './restore.js';
import { TICK_MS } from './runner.js';

/** The last state Doris logged before each state that it does not log. */
const LOGGED_BEFORE: Record<Job['kind'], Record<string, string>> = {
  // PENDING is logged at submission; UPLOAD_SNAPSHOT, SAVE_META, UPLOAD_INFO when entered.
  backup: { SNAPSHOTING: 'PENDING', UPLOADING: 'UPLOAD_SNAPSHOT' },
  // PENDING at submission; DOWNLOAD and COMMIT when entered.
  restore: { CREATING: 'PENDING', SNAPSHOTING: 'PENDING', DOWNLOADING: 'DOWNLOAD', COMMITTING: 'COMMIT' },
};

/** Returns how many jobs went back to an earlier state. */
export function recoverJobs(sim: Engine): number {
  const now = sim.clock.now();
  let moved = 0;
  for (const job of jobsState(sim.world).jobs) {
    const back = LOGGED_BEFORE[job.kind][job.state];
    if (!back) continue;
    moved++;
    job.state = back;
    job.progress = '';
    delete job.transfer;
    if (back === 'PENDING') {
      // The job id is handed out when PENDING's work runs (BackupJob#prepareAndSendSnapshotTask,
      // RestoreJob#checkAndPrepareMeta): the replayed job shows -1 and gets a new id on its redo.
      job.jobId = -1;
      job.key = allocId(sim.world);
      if (job.kind === 'restore') {
        // Tables the restore created lived only in the dead FE's memory; existing ones were never
        // logged as RESTORE either.
        undoRestore(sim, job);
        job.metaPreparedTime = null;
      }
    }
    // The backup handler's daemon picks the job up on its next round.
    job.nextAt = now + TICK_MS;
  }
  if (moved) sim.changed();
  return moved;
}
