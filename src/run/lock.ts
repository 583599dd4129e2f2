// One `apply` per plan: an exclusive lock file naming its holder (pid, host, start time).
// A lock left by a dead process on this host is taken over; another host's lock is never guessed at.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { refusedError } from '../errors.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
};

/**
 * Lock files this process holds. A lock naming our own pid that we do not hold was left by an
 * earlier process that had the same pid: containers start every run as the same pid (often 1),
 * so "that pid is alive" would otherwise refuse forever after one crash.
 */
const held = new Set<string>();

export interface Lock {
  /** Set when a stale lock was taken over. */
  tookOver?: Holder;
  release(): void;
}

export function acquireLock(path: string, now: string, opts: { force?: boolean } = {}): Lock {
  const me: Holder = { pid: process.pid, host: hostname(), since: now };
  let tookOver: Holder | undefined;
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(path);
      const release = (): void => {
        held.delete(path);
        unlinkSync(path);
      };
      return { ...(tookOver ? { tookOver } : {}), release };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      let holder: Holder;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
      } catch {
        holder = { pid: 0, host: '?', since: '?' };
      }
      const stale = holder.host === me.host && (holder.pid === me.pid ? !held.has(path) : !alive(holder.pid));
      if (!stale && !opts.force) {
        throw refusedError('plan-locked', `another apply holds ${path} (pid ${holder.pid} on ${holder.host} since ${holder.since}): wait for it, or if it is gone for good, run apply with --force-unlock`);
      }
      tookOver = holder;
      unlinkSync(path);
    }
  }
  throw refusedError('plan-locked', `cannot take the lock ${path}`);
}
