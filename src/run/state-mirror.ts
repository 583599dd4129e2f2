// The run's record beside the snapshots: every state write goes to the local file and then to a
// small object in the repository (storage/layout.ts runRecordKey), and a write counts as done
// (write-ahead) only once both are. `apply` on another machine, or after the local file was lost,
// resumes from that copy exactly. The newer of the two (by `updatedAt`) wins; a tie goes local.
import { stepFailedError, usageError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import type { CheckpointStore, FileCheckpoint } from './checkpoint.js';
import { RunStateSchema, type RunState } from './state-model.js';

export interface RunRecordStore {
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
}

/** The record's name: the plan's name and id, so two plans of one name never share a record. */
export const recordName = (plan: Plan): string => `${plan.name}${plan.id ? `-${plan.id}` : ''}`;

export function mirroredCheckpoint(local: FileCheckpoint, record: RunRecordStore, name: string, where: string): CheckpointStore {
  return {
    path: local.path,
    load: () => local.load(),
    async save(state, changed) {
      local.save(state, changed);
      // Serialised now: later changes belong to the next write.
      const text = JSON.stringify(state);
      try {
        await record.write(name, text);
      } catch (e) {
        throw stepFailedError('state-copy-failed', `cannot write the run's record to ${where} (${(e as Error).message}); the local state is saved: run apply again once the repository is reachable`, e);
      }
    },
  };
}

export async function readRecord(record: RunRecordStore, name: string, where: string): Promise<RunState | undefined> {
  const text = await record.read(name);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw usageError('state-unreadable', `the run's record ${name} in ${where} cannot be read (${(e as Error).message}): restore it or delete it to start over knowingly`);
  }
  const parsed = RunStateSchema.safeParse(data);
  if (!parsed.success) throw usageError('state-invalid', `the run's record ${name} in ${where} is not a doris-migrate state: restore it or delete it to start over knowingly`);
  return parsed.data;
}

/** The newer of the local state and the repository's copy, and where it came from. */
export function newerState(local: RunState | undefined, remote: RunState | undefined): { state: RunState | undefined; from: 'local' | 'repository' | 'none' } {
  if (!remote) return { state: local, from: local ? 'local' : 'none' };
  if (!local || (Date.parse(remote.updatedAt) > Date.parse(local.updatedAt) && !sameRecord(local, remote))) return { state: remote, from: 'repository' };
  return { state: local, from: 'local' };
}

/** The same run record but for its time: a save that changed no step still rewrites the copy with a new time. */
const sameRecord = (a: RunState, b: RunState): boolean => JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
