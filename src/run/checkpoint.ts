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
  /**
   * Durable when it returns, or when its promise settles (a store that also writes a copy
   * elsewhere, run/state-mirror.ts).
   */
  save(state: RunState, changed?: Iterable<string>): void | Promise<void>;
}

/** The local state file: its writes are done when `save` returns. */
export interface FileCheckpoint extends CheckpointStore {
  save(state: RunState, changed?: Iterable<string>): void;
}

/** The state file at `path` (plans/<name>.state.json) with its journal beside it. */
export function fileCheckpoint(path: string): FileCheckpoint {
  return journalStore(path);
}

/**
 * Coalesced writes of the run state. `request()` notes that the state changed and returns a
 * promise that settles once a write made after the change is done: every request before that
 * write starts (the rest of the current event-loop turn, and the time an earlier write still
 * takes) shares it, so a burst of transitions from many concurrent steps costs one write of the
 * (possibly large) state instead of one each. Writes may be asynchronous (the copy in the
 * repository) and run one after another, so copies land in order. A caller about to cause a side
 * effect awaits its request, which keeps the write-ahead rule. A failed write rejects the
 * requests it covered; unawaited ones do not crash the process, and the next request writes again.
 */
export function coalescedSaves(write: () => void | Promise<void>): { request(): Promise<void> } {
  let next: Promise<void> | undefined;
  let previous: Promise<void> = Promise.resolve();
  return {
    request() {
      if (!next) {
        next = new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            const done = previous.then(() => {
              // From here on a change needs a new write: this one reads the state now.
              next = undefined;
              return write();
            });
            previous = done.catch(() => undefined);
            done.then(resolve, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
          });
        });
        next.catch(() => undefined);
      }
      return next;
    },
  };
}
