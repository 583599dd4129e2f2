// One `apply` per plan: an exclusive lock file naming its holder (pid, host, start time) and a
// token of its own, so only its holder ever removes it.
//
// - Taking a free lock is one atomic step: the holder's record is written to a file of our own
//   and hard-linked to the lock's name, which fails if the name exists (no reader ever sees half
//   a record).
// - A lock left by a dead process on this host is stale. Taking it over is a compare-and-swap:
//   each lock has a generation, and only the process that creates the claim file
//   `<lock>.takeover-<generation>-<k>` (exclusively) may replace that generation's lock, so many
//   processes racing for one stale lock end with exactly one holder. `k` moves on only past a
//   claim whose own holder died mid-takeover. Another host's lock is never guessed at.
// - Releasing removes the lock only if it still carries our token.
import { readdirSync, readFileSync } from 'node:fs';
import { linkSync, renameSync, unlinkSync, writeFileSync } from '../file-layer.js';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileError } from '../atomic-file.js';
import { isMigrateError, refusedError } from '../errors.js';

export interface Holder {
  pid: number;
  host: string;
  since: string;
}

interface Record extends Holder {
  /** Unique per acquisition: who may remove the lock. */
  token?: string;
  /** Bumped by every takeover; names the claim files of the next one. */
  generation?: number;
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
  /** Set when an existing lock was taken over; `alive` when its holder still runs (--force-unlock). */
  tookOver?: Holder & { alive: boolean };
  release(): void;
}

const codeOf = (e: unknown): string | undefined => (e as { code?: string }).code;

function readRecord(path: string): Record | undefined {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record>;
    return { pid: Number(r.pid) || 0, host: String(r.host ?? '?'), since: String(r.since ?? '?'), ...(r.token ? { token: r.token } : {}), ...(r.generation ? { generation: r.generation } : {}) };
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return undefined;
    // Unreadable (not ours, or written by hand): treated as a holder we know nothing about.
    return { pid: 0, host: '?', since: '?' };
  }
}

/** Whether `holder` still runs, as far as this host can tell (another host's process counts as running). */
function running(holder: Holder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  return holder.pid === process.pid ? held.has(path) : alive(holder.pid);
}

/** Creates `path` holding `record`, atomically and only if it does not exist; false if it does. */
function createExclusive(path: string, record: Record): boolean {
  const temp = `${path}.${record.token}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(record), { mode: 0o644 });
    linkSync(temp, path);
    return true;
  } catch (e) {
    if (codeOf(e) === 'EEXIST') return false;
    throw e;
  } finally {
    // Also when the write itself failed (a full disk), so no temp file is left behind.
    try {
      unlinkSync(temp);
    } catch {
      /* never created */
    }
  }
}

export function acquireLock(path: string, now: string, opts: { force?: boolean } = {}): Lock {
  try {
    return take(path, now, opts.force ?? false);
  } catch (e) {
    if (!isMigrateError(e) && codeOf(e)) throw fileError('take the lock', path, e, 'nothing was started');
    throw e;
  }
}

function take(path: string, now: string, force: boolean): Lock {
  const me = (generation: number): Record => ({ pid: process.pid, host: hostname(), since: now, token: randomBytes(8).toString('hex'), generation });
  const granted = (mine: Record, tookOver?: Lock['tookOver']): Lock => {
    held.add(path);
    return {
      ...(tookOver ? { tookOver } : {}),
      release(): void {
        held.delete(path);
        // Only our own lock is removed: after a --force-unlock elsewhere it is someone else's.
        if (readRecord(path)?.token === mine.token) unlinkSync(path);
        removeClaims(path, mine.generation ?? 0);
      },
    };
  };
  for (let tries = 0; tries < 20; tries++) {
    const first = me(1);
    if (createExclusive(path, first)) return granted(first);
    const holder = readRecord(path);
    if (!holder) continue; // released between our attempt and the read: try again
    const live = running(holder, path);
    if (live && !force) {
      throw refusedError('plan-locked', `another apply holds ${path} (pid ${holder.pid} on ${holder.host} since ${holder.since}): wait for it, or if it is gone for good, run apply with --force-unlock`);
    }
    // Claim this generation's takeover; k moves past claims whose holder died mid-takeover.
    const generation = holder.generation ?? 0;
    const next = me(generation + 1);
    let claimed: string | undefined;
    for (let k = 0; k < 100 && !claimed; k++) {
      const claim = `${path}.takeover-${generation}-${k}`;
      if (createExclusive(claim, next)) claimed = claim;
      else {
        const claimer = readRecord(claim);
        if (claimer && running(claimer, claim)) break;
      }
    }
    // Someone else claimed this takeover: they hold the lock now (refused on the next round), or
    // are about to.
    if (!claimed) {
      if (readRecord(path)?.token !== holder.token) continue;
      throw refusedError('plan-locked', `another process is taking over the stale lock ${path} right now: wait for it, then look again`);
    }
    // Ours to replace only if it is still the lock we judged (another claimer of an earlier
    // generation may have replaced it meanwhile).
    const current = readRecord(path);
    if (!current || current.token !== holder.token || (current.generation ?? 0) !== generation) {
      unlinkSync(claimed);
      continue;
    }
    const temp = `${path}.${next.token}.tmp`;
    writeFileSync(temp, JSON.stringify(next), { mode: 0o644 });
    renameSync(temp, path);
    return granted(next, { pid: holder.pid, host: holder.host, since: holder.since, alive: live });
  }
  throw refusedError('plan-locked', `cannot take the lock ${path}: it keeps changing hands; try again`);
}

/** Claim files of generations before `generation`: their takeovers are over. */
function removeClaims(path: string, generation: number): void {
  const prefix = `${basename(path)}.takeover-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const g = Number(name.slice(prefix.length).split('-')[0]);
    if (g < generation) {
      try {
        unlinkSync(join(dirname(path), name));
      } catch {
        /* another process removed it */
      }
    }
  }
}

/** Who holds the lock at `path` and whether they still run, or undefined when nobody does (`list`). */
export function lockHolder(path: string): (Holder & { running: boolean }) | undefined {
  const r = readRecord(path);
  return r ? { pid: r.pid, host: r.host, since: r.since, running: running(r, path) } : undefined;
}
