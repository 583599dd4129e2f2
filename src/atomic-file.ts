// Writes a file so that readers see the old content or the new, never a mix, even across a crash:
// temp file, fsync, rename, fsync of the directory. Used for plans, run state and reports.
// A write that fails (disk full, read-only file system, no permission) removes its temp file and
// becomes one named error naming the file, the cause in words and the fix; the file itself keeps
// its previous content.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from './file-layer.js';
import { dirname } from 'node:path';
import { ExitCode, MigrateError, isMigrateError } from './errors.js';

/** The cause of a file-system error in words, and what to do about it. */
function causeOf(e: unknown, path: string): { cause: string; fix: string } {
  const code = (e as { code?: string }).code ?? '';
  const dir = dirname(path);
  switch (code) {
    case 'ENOSPC':
      return { cause: 'the disk is full (ENOSPC)', fix: `free space on the disk holding ${dir}` };
    case 'EDQUOT':
      return { cause: 'the disk quota is used up (EDQUOT)', fix: `free space or raise the quota for ${dir}` };
    case 'EROFS':
      return { cause: 'the file system is read-only (EROFS)', fix: `make ${dir} writable (remount read-write), or keep the plan in a writable directory` };
    case 'EACCES':
    case 'EPERM':
      return { cause: `permission denied (${code})`, fix: `give this user write access to ${dir}` };
    case 'EIO':
      return { cause: 'an I/O error (EIO)', fix: 'check the disk (dmesg) before going on' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { cause: `the directory is missing (${code})`, fix: `create ${dir}` };
    default:
      return { cause: code || (e instanceof Error ? e.message : String(e)), fix: `check that ${dir} is writable and has space` };
  }
}

/**
 * A file-system failure as doris-migrate reports it: `cannot <verb> <path>: <cause>: <fix>`, exit 1
 * (the run's state before the failed write is intact, so `apply` can resume once it is fixed).
 * An error that is already one of ours is returned as it is.
 */
export function fileError(verb: string, path: string, e: unknown, after = ''): MigrateError {
  if (isMigrateError(e)) return e;
  const { cause, fix } = causeOf(e, path);
  return new MigrateError('file-write', `cannot ${verb} ${path}: ${cause}: ${fix}${after ? `; ${after}` : ''}`, ExitCode.StepFailed, { cause: e });
}

export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w', mode);
    try {
      // writeFileSync loops over short writes: a single writeSync on a nearly full disk writes
      // what fits and returns, which would rename a truncated file into place.
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw fileError('write', path, e, 'its previous content is unchanged');
  }
  // The rename is done; syncing the directory makes it durable. A directory that cannot be
  // opened for that (some network file systems) does not undo the write.
  try {
    syncDirectoryOf(path);
  } catch (e) {
    throw fileError('write', path, e, 'the new content may not survive a crash of this machine');
  }
}

/** Makes a rename into, or a file created in, `path`'s directory durable. */
export function syncDirectoryOf(path: string): void {
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
