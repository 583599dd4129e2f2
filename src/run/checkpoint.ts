// The state file: read strictly (an unreadable state is a hard error, never a silent restart) and
// written atomically (temp, fsync, rename, fsync dir) after every transition; transitions of one
// event-loop turn share a write (coalescedSaves).
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-file.js';
import { usageError } from '../errors.js';
import { RunStateSchema, type RunState } from './state-model.js';

export interface CheckpointStore {
  path: string;
  load(): RunState | undefined;
  save(state: RunState): void;
}

export function fileCheckpoint(path: string): CheckpointStore {
  return {
    path,
    load() {
      if (!existsSync(path)) return undefined;
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        throw usageError('state-unreadable', `state file ${path} cannot be read (${(e as Error).message}): restore it from a backup, or move it away to start the plan over knowingly`);
      }
      const parsed = RunStateSchema.safeParse(data);
      if (!parsed.success) {
        throw usageError('state-invalid', `state file ${path} is not a doris-migrate state (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): restore it, or move it away to start over knowingly`);
      }
      return parsed.data;
    },
    save(state) {
      writeFileAtomic(path, `${JSON.stringify(state, null, 1)}\n`, 0o600);
    },
  };
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
