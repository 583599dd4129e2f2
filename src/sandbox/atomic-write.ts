// The simulator's durable writes (the world, a backup's point-in-time copy): a temporary file
// written and fsync'd, renamed over the old one, and the directory fsync'd so the rename survives
// a crash too, as an FE's image and edit log do. The sandbox imports nothing of the product's, so
// it keeps its own (src/atomic-file.ts is the product's).
import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replaces `file` with what `write` puts through the descriptor it is given, all or nothing. */
export function writeAtomicSync(file: string, write: (fd: number) => void): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    write(fd);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
