// Progress of `verify` while it reads both clusters, on stderr: one line redrawn in place on a
// terminal (both sides' counts); otherwise a plain line every 10% per side and at the end, so logs stay short.
import type { Writable } from 'node:stream';
import type { CollectProgress } from '../verify/collect.js';

export interface VerifyProgress {
  update(p: CollectProgress): void;
  /** Ends a redrawn line so what follows starts on a fresh one. */
  done(): void;
}

export function verifyProgress(stream: Writable, tty: boolean): VerifyProgress {
  const text = (p: CollectProgress) => `  verifying ${p.side}: ${p.done}/${p.total} tables`;
  if (tty) {
    // Both sides are read at once: the line shows each side's count.
    const latest = new Map<string, CollectProgress>();
    let drawn = false;
    return {
      update: (p) => {
        latest.set(p.side, p);
        stream.write(`\r\x1b[K  verifying ${[...latest.values()].map((x) => `${x.side} ${x.done}/${x.total}`).join(', ')} tables`);
        drawn = true;
      },
      done: () => {
        if (drawn) stream.write('\r\x1b[K');
        drawn = false;
      },
    };
  }
  const shown = new Map<string, number>();
  return {
    update: (p) => {
      const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
      if (tenth <= (shown.get(p.side) ?? -1) && p.done !== p.total) return;
      shown.set(p.side, tenth);
      stream.write(`${text(p)}\n`);
    },
    done: () => undefined,
  };
}
