// Reading the run's record that state-mirror.ts writes: the newest readable snapshot, then the
// segments and deltas that follow it, in order, each applied over the state so far.
//
// Damage it tolerates, as the local journal does its torn last line: a part cut short (a store
// that keeps partial uploads, a process killed mid-upload) that was the last thing written: its
// save never completed, so nothing it announced happened. A newest snapshot cut short falls back
// to the one before (older parts are deleted only after a snapshot is written), a segment cut short
// to the deltas it merges, and the last delta cut short is dropped. Any other damage is a named
// error (exit 2), which apply passes over when a readable local state exists (load-run-state.ts).
// A reader racing the writer's deletions (a part listed, then gone) reads the whole record again.
import { usageError } from '../errors.js';
import { parseRunRecordKey } from '../storage/layout.js';
import { RunFieldsSchema } from './journal.js';
import type { RunRecordStore } from './state-mirror.js';
import { RunStateSchema, StepStateSchema, type RunState } from './state-model.js';

const ATTEMPTS = 5;

/** A part listed but not read: deleted meanwhile (or the store failed); the whole read is tried again. */
class Unread extends Error {}

/** The record's state, or undefined when there is none. */
export async function readRecord(record: RunRecordStore, name: string, where: string): Promise<RunState | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(record, name, where);
    } catch (e) {
      if (!(e instanceof Unread) || attempt === ATTEMPTS) throw e instanceof Unread ? e.cause : e;
    }
  }
}

const unreadable = (name: string, where: string, why: string) =>
  usageError('state-unreadable', `the run's record ${name} in ${where} cannot be read (${why}): restore it or delete it to start over knowingly`);

type Parsed<T> = { ok: true; value: T } | { ok: false; why: string; invalid?: boolean };

function parseSnapshot(text: string): Parsed<RunState> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
  const parsed = RunStateSchema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, why: 'not a doris-migrate state', invalid: true };
}

interface Change {
  at: string;
  steps: RunState['steps'];
  run?: Partial<Omit<RunState, 'steps' | 'updatedAt'>>;
}

function parseChange(text: string): Parsed<Change> {
  let data: { at?: unknown; steps?: unknown; run?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (e) {
    return { ok: false, why: (e as Error).message };
  }
  if (typeof data !== 'object' || data === null || typeof data.at !== 'string' || typeof data.steps !== 'object' || data.steps === null) return { ok: false, why: 'no at or steps' };
  const steps: RunState['steps'] = {};
  for (const [id, value] of Object.entries(data.steps)) {
    const parsed = StepStateSchema.safeParse(value);
    if (!parsed.success) return { ok: false, why: `step ${id}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    steps[id] = parsed.data;
  }
  if (data.run === undefined) return { ok: true, value: { at: data.at, steps } };
  const run = RunFieldsSchema.safeParse(data.run);
  return run.success ? { ok: true, value: { at: data.at, steps, run: run.data } } : { ok: false, why: `run: ${run.error.issues[0]?.message ?? 'invalid'}` };
}

async function readOnce(record: RunRecordStore, name: string, where: string): Promise<RunState | undefined> {
  const parts = (await record.list(name)).flatMap((key) => {
    const part = parseRunRecordKey(name, key);
    return part ? [{ key, part }] : [];
  });
  if (parts.length === 0) return undefined;
  const texts = new Map<string, Promise<string>>();
  const read = async (key: string): Promise<string> => {
    try {
      return await texts.get(key)!;
    } catch (e) {
      throw new Unread('a part of the record could not be read', { cause: e });
    }
  };
  const fetchAll = (keys: string[]) => {
    for (const k of keys) {
      const p = record.read(k);
      p.catch(() => undefined);
      texts.set(k, p);
    }
  };

  // The newest snapshot that reads; one cut short was never completed (the older ones are still there).
  const snapshots = parts.filter((p) => p.part.kind === 'snapshot').sort((a, b) => b.part.seq - a.part.seq);
  fetchAll(snapshots.slice(0, 2).map((p) => p.key));
  let base: { state: RunState; seq: number } | undefined;
  let failure: { why: string; invalid?: boolean } | undefined;
  for (const [i, s] of snapshots.entries()) {
    if (!texts.has(s.key)) fetchAll(snapshots.slice(i, i + 2).map((p) => p.key).filter((k) => !texts.has(k)));
    const parsed = parseSnapshot(await read(s.key));
    if (parsed.ok) {
      base = { state: parsed.value, seq: s.part.seq };
      break;
    }
    failure ??= parsed;
  }
  if (!base) {
    if (failure?.invalid) throw usageError('state-invalid', `the run's record ${name} in ${where} is not a doris-migrate state: restore it or delete it to start over knowingly`);
    // Parts but no snapshot: a record whose snapshot was deleted by hand, or one being replaced.
    if (!failure) throw new Unread('no snapshot', { cause: unreadable(name, where, 'it has no snapshot') });
    throw unreadable(name, where, failure.why);
  }

  // What follows the snapshot, fetched at once: segments (by their first save) and deltas.
  const after = parts.filter((p) => p.part.kind !== 'snapshot' && p.part.seq > base.seq);
  fetchAll(after.map((p) => p.key));
  const segments = new Map<number, { key: string; seq: number }[]>();
  const deltas = new Map<number, string>();
  for (const { key, part } of after) {
    if (part.kind === 'delta') deltas.set(part.seq, key);
    else if (part.kind === 'segment') segments.set(part.from, [...(segments.get(part.from) ?? []), { key, seq: part.seq }].sort((a, b) => b.seq - a.seq));
  }
  const last = Math.max(base.seq, ...after.map((p) => p.part.seq));
  const { state } = base;
  const apply = (c: Change) => {
    Object.assign(state.steps, c.steps);
    if (c.run) Object.assign(state, c.run);
    state.updatedAt = c.at;
  };
  let next = base.seq + 1;
  while (next <= last) {
    let merged: { seq: number; change: Change } | undefined;
    for (const g of segments.get(next) ?? []) {
      const parsed = parseChange(await read(g.key));
      // A segment cut short: its deltas are deleted only after it was written, so they are read instead.
      if (parsed.ok) {
        merged = { seq: g.seq, change: parsed.value };
        break;
      }
    }
    if (merged) {
      apply(merged.change);
      next = merged.seq + 1;
      continue;
    }
    const key = deltas.get(next);
    // A part missing between others: deleted while listed (a merge, a new snapshot); read again.
    if (!key) throw new Unread(`part ${next} missing`, { cause: unreadable(name, where, `the part after save ${next - 1} is missing`) });
    const parsed = parseChange(await read(key));
    if (!parsed.ok) {
      if (next === last) break; // the last save, cut short: never completed, nothing it announced happened
      throw unreadable(name, where, `${key}: ${parsed.why}`);
    }
    apply(parsed.value);
    next++;
  }
  return state;
}
