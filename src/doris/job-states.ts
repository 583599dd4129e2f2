// Where a BACKUP or RESTORE job stands by its Doris state (the State column of SHOW BACKUP /
// SHOW RESTORE), for the watcher's timing and the byte count. Pure.

/** States in which a job moves files: its Progress column counts them. */
export const MOVING_STATES: ReadonlySet<string> = new Set(['UPLOADING', 'DOWNLOADING']);

/** States after the files moved, while the job finishes (backup: metadata; restore: commit). */
export const FINISHING_STATES: ReadonlySet<string> = new Set(['SAVE_META', 'UPLOAD_INFO', 'COMMIT', 'COMMITTING']);

/** Every file of the job has moved: it is finishing or finished. */
export const filesMoved = (state: string): boolean => FINISHING_STATES.has(state) || state === 'FINISHED';
