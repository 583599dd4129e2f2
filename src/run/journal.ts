// The run state on disk as a snapshot plus an append-only journal, so that recording a transition
// costs one short line however large the plan is.
//
//   plans/<name>.state.json     the snapshot: the whole state, written atomically, plus `journalSeq`,
//                               the number of the last journal line it already contains;
//   plans/<name>.state.journal  one JSON line per transition since: `{"seq","at","step","state"}`
//                               (the step's whole new state) or `{"seq","at","run"}` (the state's
//                               fields other than its steps: verification, skipped, ...).
//
// Each append is made durable (fdatasync: its bytes and the file's length) before `save` returns,
// and callers announce a side effect only after that (the write-ahead rule, see context.ts). When the journal holds more lines than the plan has
// steps (at least COMPACT_MIN), the next save writes a fresh snapshot and empties the journal, so
// a transition's cost stays constant on average. A crash between the two leaves lines the snapshot
// already holds: `seq` tells them apart. A state file from before the journal is a snapshot
// without `journalSeq` and no journal: it loads as it is and the first save carries on from it.
//
// Reading tolerates exactly one kind of damage: a last line cut short by a crash mid-append (its
// transition was never announced, so it is dropped, and the next append first cuts it off). Any
// other damage is a named error (exit 2) naming the file, never a silent restart.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, writeSync } from '../file-layer.js';
import { fileError, syncDirectoryOf, writeFileAtomic } from '../atomic-file.js';
import { usageError } from '../errors.js';
import type { FileCheckpoint } from './checkpoint.js';
import { RunStateSchema, StepStateSchema, type RunState } from './state-model.js';

/** Fewest journal lines before a compaction, so that small plans are not rewritten all the time. */
const COMPACT_MIN = 1_000;

/** The state's fields other than its steps (and the clock), journalled as one line when any changes. */
export const RunFieldsSchema = RunStateSchema.omit({ steps: true, updatedAt: true }).partial();
export type RunFields = Omit<RunState, 'steps' | 'updatedAt'>;
export const runFields = (state: RunState): RunFields => {
  const { steps: _steps, updatedAt: _at, ...rest } = state;
  return rest;
};
/**
 * The run's fields (other than its steps) set anew since `last`, compared by reference first (they
 * are replaced, not edited) and then by content (objects read back from disk are equal though not
 * the same); 'removed' when one was unset, or undefined when none changed.
 */
export function runFieldChanges(now: RunFields, last: RunFields | undefined): Partial<RunFields> | 'removed' | undefined {
  if (!last) return now;
  const changed: Partial<RunFields> = {};
  let any = false;
  for (const k of new Set([...Object.keys(now), ...Object.keys(last)]) as Set<keyof RunFields>) {
    const [a, b] = [now[k], last[k]];
    if (a === b || JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a === undefined) return 'removed';
    Object.assign(changed, { [k]: a });
    any = true;
  }
  return any ? changed : undefined;
}

export const journalPath = (statePath: string): string => `${statePath.replace(/\.json$/i, '')}.journal`;

/** What a journal store has written, for benchmarks and tests. */
export interface JournalCounters {
  /** Bytes written to the snapshot and the journal together. */
  bytesWritten: number;
  appends: number;
  compactions: number;
}

interface Loaded {
  state: RunState;
  /** Last journal line applied (or contained in the snapshot). */
  seq: number;
  /** Journal lines after the snapshot. */
  lines: number;
  /** Bytes of the journal's complete lines (anything after is a torn append). */
  goodBytes: number;
}

function readSnapshot(path: string): { state: RunState; seq: number } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw usageError('state-unreadable', `state file ${path} cannot be read (${(e as Error).message}): restore it from a backup, or move it away (with ${journalPath(path)}) to start the plan over knowingly`);
  }
  const raw = data as { journalSeq?: unknown };
  const seq = typeof raw === 'object' && raw !== null && typeof raw.journalSeq === 'number' ? raw.journalSeq : 0;
  const parsed = RunStateSchema.safeParse(data);
  if (!parsed.success) {
    throw usageError('state-invalid', `state file ${path} is not a doris-migrate state (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): restore it, or move it away (with ${journalPath(path)}) to start over knowingly`);
  }
  return { state: parsed.data, seq };
}

const damaged = (path: string, line: number, why: string) =>
  usageError('state-journal-damaged', `state journal ${path} is damaged at line ${line} (${why}): restore it from a backup, or move it away (with the state file beside it) to start the plan over knowingly`);

/** Applies the journal's lines after the snapshot's to `state` (in place). */
function replay(path: string, loaded: Loaded): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  loaded.goodBytes = Buffer.byteLength(text.slice(0, end));
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const { state } = loaded;
  const base = loaded.seq;
  lines.forEach((line, i) => {
    let entry: { seq?: unknown; at?: unknown; step?: unknown; state?: unknown; run?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (e) {
      throw damaged(path, i + 1, (e as Error).message);
    }
    if (typeof entry !== 'object' || entry === null || typeof entry.seq !== 'number' || typeof entry.at !== 'string') throw damaged(path, i + 1, 'no seq or at');
    // Lines the snapshot already holds (a crash between writing it and emptying the journal).
    if (loaded.lines === 0 && entry.seq <= base) return;
    if (entry.seq !== loaded.seq + 1) throw damaged(path, i + 1, `line ${entry.seq} where ${loaded.seq + 1} was expected`);
    if (typeof entry.step === 'string') {
      const parsed = StepStateSchema.safeParse(entry.state);
      if (!parsed.success) throw damaged(path, i + 1, `step ${entry.step}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      state.steps[entry.step] = parsed.data;
    } else if (typeof entry.run === 'object' && entry.run !== null) {
      const parsed = RunFieldsSchema.safeParse(entry.run);
      if (!parsed.success) throw damaged(path, i + 1, `run: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      Object.assign(state, parsed.data);
    } else throw damaged(path, i + 1, 'neither a step nor the run');
    state.updatedAt = entry.at;
    loaded.seq = entry.seq;
    loaded.lines++;
  });
}

function loadOnce(path: string): Loaded {
  const { state, seq } = readSnapshot(path);
  const loaded: Loaded = { state, seq, lines: 0, goodBytes: 0 };
  replay(journalPath(path), loaded);
  return loaded;
}

const identity = (path: string): string => {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : '';
};

/**
 * Snapshot + journal. A reader (status) racing a running apply's compaction can read the old
 * snapshot and the emptied journal: when the snapshot changed meanwhile, it reads again.
 */
function load(path: string): Loaded | undefined {
  for (let attempt = 1; ; attempt++) {
    const before = identity(path);
    if (!before) return undefined;
    try {
      const loaded = loadOnce(path);
      if (identity(path) === before || attempt === 5) return loaded;
    } catch (e) {
      if (identity(path) === before || attempt === 5) throw e;
    }
  }
}

function writeAll(fd: number, buffer: Buffer): void {
  for (let off = 0; off < buffer.length; ) off += writeSync(fd, buffer, off, buffer.length - off);
}

/**
 * The state file as snapshot + journal. `save(state, changed)` appends one line per changed step
 * (and one for the run's other fields when one was set anew); `save(state)` without `changed` writes a snapshot.
 */
export function journalStore(path: string): FileCheckpoint & { counters: JournalCounters } {
  const jpath = journalPath(path);
  const counters: JournalCounters = { bytesWritten: 0, appends: 0, compactions: 0 };
  // What this process knows of the files; set by its first load or save.
  let seq = 0;
  let lines = 0;
  let stepCount = 0;
  let goodBytes = 0;
  let known = false;
  let lastRun: RunFields | undefined;

  /** Runs `write` on the journal, opened for appending; the first time, a torn last line is cut off. */
  let checked = false;
  const withJournal = (write: (fd: number) => void): void => {
    const created = !existsSync(jpath);
    const fd = openSync(jpath, 'a', 0o600);
    try {
      if (!checked && !created) ftruncateSync(fd, goodBytes);
      checked = true;
      if (created) syncDirectoryOf(jpath);
      write(fd);
    } finally {
      closeSync(fd);
    }
  };

  const compact = (state: RunState): void => {
    const text = `${JSON.stringify({ ...state, journalSeq: seq }, null, 1)}\n`;
    writeFileAtomic(path, text, 0o600);
    counters.bytesWritten += Buffer.byteLength(text);
    counters.compactions++;
    // The snapshot holds every line so far: empty the journal. A crash before this leaves lines
    // with seq <= journalSeq, which loading skips.
    if (existsSync(jpath)) {
      withJournal((fd) => {
        ftruncateSync(fd, 0);
        fsyncSync(fd);
      });
    }
    lines = 0;
    goodBytes = 0;
    lastRun = runFields(state);
    stepCount = Object.keys(state.steps).length;
  };

  const store = {
    path,
    counters,
    load(): RunState | undefined {
      const loaded = load(path);
      if (!loaded) return undefined;
      ({ seq, lines, goodBytes } = loaded);
      known = true;
      lastRun = runFields(loaded.state);
      stepCount = Object.keys(loaded.state.steps).length;
      return loaded.state;
    },
    save(state: RunState, changed?: Iterable<string>): void {
      if (!known) {
        // First save of a process that did not load: carry on from what is on disk, if anything.
        const loaded = load(path);
        if (loaded) {
          ({ seq, lines, goodBytes } = loaded);
          stepCount = Object.keys(loaded.state.steps).length;
        }
        known = true;
      }
      // The plan's size is counted at the last snapshot (steps are not added mid-run), not per save.
      if (!changed || !existsSync(path) || lines >= Math.max(COMPACT_MIN, stepCount)) {
        compact(state);
        return;
      }
      const at = state.updatedAt;
      const entries: string[] = [];
      let next = seq;
      for (const id of new Set(changed)) {
        const step = state.steps[id];
        if (step) entries.push(JSON.stringify({ seq: ++next, at, step: id, state: step }));
      }
      if (runFieldChanges(runFields(state), lastRun) !== undefined) entries.push(JSON.stringify({ seq: ++next, at, run: runFields(state) }));
      if (entries.length === 0) return;
      const buffer = Buffer.from(`${entries.join('\n')}\n`);
      try {
        withJournal((fd) => {
          try {
            writeAll(fd, buffer);
            // The data and the length that reads it back; not the times, which nothing needs after a crash.
            fdatasyncSync(fd);
          } catch (e) {
            // Leave no half line behind for the next append to run into.
            try {
              ftruncateSync(fd, goodBytes);
            } catch {
              checked = false; // the next append cuts it off
            }
            throw e;
          }
        });
      } catch (e) {
        throw fileError('append to', jpath, e, 'the state before this transition is intact');
      }
      seq = next;
      lines += entries.length;
      goodBytes += buffer.length;
      lastRun = runFields(state);
      counters.bytesWritten += buffer.length;
      counters.appends++;
    },
  };
  return store;
}
