// Where the run state is kept (CheckpointStore), and coalescing of its writes: transitions of one
// event-loop turn share a write. The file store is a snapshot plus an append-only journal
// (journal.ts); it reads strictly (an unreadable state is a hard error, never a silent restart).
//
// For wrappers (e.g. a copy of the state kept elsewhere): `save(state, changed)` is called after
// every batch of transitions with the ids of the steps whose state changed in it (their new state
// is in `state.steps`); `save(state)` without `changed` asks for the whole state to be written.
// Either must be durable when `save` returns: the caller sends the statement it announces next.
import type { RunState } from './state-model.js';
import { journalStore } from './journal.js';

export interface CheckpointStore {
  path: string;
  load(): RunState | undefined;
  save(state: RunState, changed?: Iterable<string>): void;
}

/** The state file at `path` (plans/<name>.state.json) with its journal beside it. */
export function fileCheckpoint(path: string): CheckpointStore {
  return journalStore(path);
}

/**
 * Coalesced writes of the run state. `request()` notes that the state changed and returns a
 * promise that settles once a write made after the change is on disk: every request before that
 * write runs (the rest of the current event-loop turn) shares it, so a burst of transitions from
 * many concurrent steps costs one write of the (possibly large) state instead of one each.
 * A caller about to cause a side effect awaits its request, which keeps the write-ahead rule.
 * A failed write rejects the requests it covered; unawaited ones do not crash the process, and
 * the next request writes again.
 */
export function coalescedSaves(write: () => void): { request(): Promise<void> } {
  let next: Promise<void> | undefined;
  return {
    request() {
      if (!next) {
        next = new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            next = undefined;
            try {
              write();
              resolve();
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            }
          });
        });
        next.catch(() => undefined);
      }
      return next;
    },
  };
}
