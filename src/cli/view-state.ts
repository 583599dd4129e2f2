// `status` and `list` read a migration's state without taking it: the local file, or, where that
// file is gone (a fresh checkout, another machine), the run's record in the repository that apply
// would resume from (run/state-mirror.ts). Read only, and never fatal: a record that cannot be
// reached from here is named so the reader knows "not started" is only what this machine sees.
import { existsSync } from 'node:fs';
import type { Plan } from '../plan/schema.js';
import type { RunState } from '../run/state-model.js';
import { statePath } from './run-context.js';

export interface ViewedState {
  state: RunState | undefined;
  /** Where the state came from. */
  from: 'local' | 'repository' | 'none';
  /** The local file, or the repository location holding the record. */
  where: string;
  /** With no local file: why the repository's record could not be read. */
  unread?: string;
}

export async function viewState(plan: Plan, planFile: string, env: Record<string, string | undefined>): Promise<ViewedState> {
  const path = statePath(planFile);
  if (existsSync(path)) {
    const { fileCheckpoint } = await import('../run/checkpoint.js');
    return { state: fileCheckpoint(path).load(), from: 'local', where: path };
  }
  const settings = plan.repository.settings;
  const where = settings.location;
  try {
    const { readCredentials } = await import('../storage/credentials.js');
    const { openRepository } = await import('../storage/backend.js');
    const { readRecord, recordName } = await import('../run/state-mirror.js');
    // HDFS without WebHDFS has no client here, as in apply.
    const record = settings.backend === 'hdfs' && !settings.webhdfs ? undefined : (await openRepository(settings, readCredentials(settings, env))).runRecord;
    if (!record) return { state: undefined, from: 'none', where, unread: `${where} cannot be read from here` };
    const state = await readRecord(record, recordName(plan), where);
    return { state, from: state ? 'repository' : 'none', where };
  } catch (e) {
    return { state: undefined, from: 'none', where, unread: (e as Error).message };
  }
}

/** One phrase saying which state a view used, for the text outputs. */
export function stateSource(v: ViewedState): string {
  if (v.from === 'local') return `from ${v.where}`;
  if (v.from === 'repository') return `from the run's record in ${v.where} (no local state file)`;
  return v.unread ? `no local state file; the run's record could not be read: ${v.unread}` : `no local state file, no record in ${v.where}`;
}
