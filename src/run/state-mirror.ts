// The run's record beside the snapshots: every state write goes to the local file and then to the
// repository (storage/layout.ts names the objects), and a write counts as done (write-ahead) only
// once both are. `apply` on another machine, or after the local file was lost, resumes from that
// copy exactly (record-read.ts); the newer of the two (by `updatedAt`) wins, a tie goes local.
//
// A save costs what it changed, not the plan: the record is a folder of numbered parts,
//   snapshot-<n>       the whole state as of save n (with `recordSeq`: n);
//   delta-<n>          save n's changes: the new state of each step it changed, and the run's other
//                      fields when one was set anew;
//   segment-<a>-<n>    deltas a..n merged into one (each step's latest state), written every
//                      MERGE_EVERY deltas, after which those deltas are deleted, so a reader fetches
//                      a few segments and at most MERGE_EVERY deltas, not one object per save;
// and a new snapshot once the deltas and segments since the last one weigh as much as it does (at
// least COMPACT_MIN), after which everything older is deleted: on average a save uploads a small
// multiple of its own changes. A process's first save, and a save of the whole state, is a
// snapshot numbered past every part already there, so parts a crashed process left (a delta cut
// short, a merge half done) are never read as following it.
import { stepFailedError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import type { RunRecordObjects } from '../storage/backend.js';
import { parseRunRecordKey, runRecordPartKey } from '../storage/layout.js';
import type { CheckpointStore, FileCheckpoint } from './checkpoint.js';
import { runFieldChanges, runFields, type RunFields } from './journal.js';
import type { RunState } from './state-model.js';

export type RunRecordStore = RunRecordObjects;

/** Deltas merged into one segment. */
export const MERGE_EVERY = 32;
/** Fewest bytes of deltas and segments before a new snapshot, so small plans are not rewritten all the time. */
const COMPACT_MIN = 256 * 1024;

/** The record's name: the plan's name and id, so two plans of one name never share a record. */
export const recordName = (plan: Plan): string => `${plan.name}${plan.id ? `-${plan.id}` : ''}`;

/** A delta or segment: the steps' states and the run's fields as already serialised. */
function partText(head: { seq: number; from?: number; at: string }, steps: Map<string, string>, run: string | undefined): string {
  const entries = [...steps].map(([id, json]) => `${JSON.stringify(id)}:${json}`).join(',');
  return `{"seq":${head.seq},${head.from !== undefined ? `"from":${head.from},` : ''}"at":${JSON.stringify(head.at)},"steps":{${entries}}${run !== undefined ? `,"run":${run}` : ''}}`;
}

export function mirroredCheckpoint(local: FileCheckpoint, record: RunRecordStore, name: string, where: string): CheckpointStore {
  /** The last save in the record; 0 until this process wrote its first snapshot. */
  let seq = 0;
  let snapshotBytes = 0;
  /** Bytes of deltas and segments since the snapshot. */
  let since = 0;
  /** Changes of the deltas not yet merged into a segment (from `mergeFrom` on), and the run's fields last written. */
  const pending = new Map<string, string>();
  let pendingRun: string | undefined;
  let mergeFrom = 0;
  let lastRun: RunFields | undefined;

  const snapshot = async (state: RunState): Promise<void> => {
    const json = JSON.stringify(state); // serialised now: later changes belong to the next write
    const run = runFields(state);
    // What is there already (a crashed process's parts too): the new snapshot is numbered past it.
    const before = await record.list(name);
    const n = Math.max(seq, ...before.map((k) => parseRunRecordKey(name, k)?.seq ?? 0)) + 1;
    // Last, so that it wins over any field of that name the state might carry.
    const text = `${json.slice(0, -1)},"recordSeq":${n}}`;
    await record.write(runRecordPartKey(name, { kind: 'snapshot', seq: n }), text);
    seq = n;
    snapshotBytes = text.length;
    since = 0;
    pending.clear();
    pendingRun = undefined;
    mergeFrom = n + 1;
    lastRun = run;
    // Everything older is held by the new snapshot. A delete that fails leaves an object readers
    // pass over (numbered below the snapshot); the next snapshot deletes it.
    await Promise.allSettled(before.filter((k) => (parseRunRecordKey(name, k)?.seq ?? n) < n).map((k) => record.delete(k)));
  };

  const merge = async (at: string): Promise<void> => {
    const from = mergeFrom;
    const text = partText({ seq, from, at }, pending, pendingRun);
    try {
      await record.write(runRecordPartKey(name, { kind: 'segment', from, seq }), text);
    } catch {
      return; // the deltas stay and are read as they are; the next save merges them
    }
    since += text.length;
    const merged = seq;
    pending.clear();
    pendingRun = undefined;
    mergeFrom = merged + 1;
    const deltas = Array.from({ length: merged - from + 1 }, (_, i) => runRecordPartKey(name, { kind: 'delta', seq: from + i }));
    await Promise.allSettled(deltas.map((k) => record.delete(k)));
  };

  const delta = async (state: RunState, changed: Iterable<string>): Promise<void> => {
    const steps = new Map<string, string>();
    for (const id of changed) {
      const step = state.steps[id];
      if (step) steps.set(id, JSON.stringify(step));
    }
    const nowRun = runFields(state); // as written now, whatever changes during the upload
    const changedRun = runFieldChanges(nowRun, lastRun);
    if (changedRun === 'removed') return snapshot(state); // a delta only sets fields
    const run = changedRun ? JSON.stringify(changedRun) : undefined;
    if (steps.size === 0 && run === undefined) return;
    const n = seq + 1;
    const at = state.updatedAt;
    const text = partText({ seq: n, at }, steps, run);
    // A failed write leaves `seq` as it was: the next save (its steps put back by the caller)
    // writes this number again, over whatever part of it arrived.
    await record.write(runRecordPartKey(name, { kind: 'delta', seq: n }), text);
    seq = n;
    since += text.length;
    if (changedRun) {
      lastRun = nowRun;
      // A segment holds every field its deltas set, the later over the earlier.
      pendingRun = JSON.stringify({ ...(pendingRun ? (JSON.parse(pendingRun) as object) : {}), ...changedRun });
    }
    for (const [id, json] of steps) pending.set(id, json);
    if (seq - mergeFrom + 1 >= MERGE_EVERY) await merge(at);
  };

  return {
    path: local.path,
    load: () => local.load(),
    async save(state, changed) {
      local.save(state, changed);
      try {
        if (seq === 0 || !changed || since >= Math.max(COMPACT_MIN, snapshotBytes)) await snapshot(state);
        else await delta(state, changed);
      } catch (e) {
        throw stepFailedError('state-copy-failed', `cannot write the run's record to ${where} (${(e as Error).message}); the local state is saved: run apply again once the repository is reachable`, e);
      }
    },
  };
}

/** The newer of the local state and the repository's copy, and where it came from. */
export function newerState(local: RunState | undefined, remote: RunState | undefined): { state: RunState | undefined; from: 'local' | 'repository' | 'none' } {
  if (!remote) return { state: local, from: local ? 'local' : 'none' };
  if (!local || (Date.parse(remote.updatedAt) > Date.parse(local.updatedAt) && !sameRecord(local, remote))) return { state: remote, from: 'repository' };
  return { state: local, from: 'local' };
}

/** The same run record but for its time: a save that changed no step still rewrites the copy with a new time. */
const sameRecord = (a: RunState, b: RunState): boolean => JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
