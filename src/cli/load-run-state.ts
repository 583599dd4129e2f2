// The one way every command reads a migration's state: the local file (snapshot + journal) and the
// run's record in the repository (run/state-mirror.ts), the newer of the two. apply, status, list,
// cancel and catch-up all come here, so a state lost on this machine (a fresh checkout, another
// machine) is found by each of them as apply would resume it.
//
// Where the record cannot be read, apply (strict) keeps its rules: a damaged record beside a
// readable local state is passed over (the next save writes it anew), anything else is an error.
// The other commands are lenient: they use the local state with a one-line warning that it may be
// older, or, without one, report no state and why (`unread`); they never fail on the record alone.
import { isMigrateError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import type { CheckpointStore } from '../run/checkpoint.js';
import type { RunState } from '../run/state-model.js';
import type { RepositoryBackend } from '../storage/backend.js';
import type { RepositorySecrets } from '../storage/properties.js';
import { statePath } from './run-context.js';

export interface LoadedRunState {
  state: RunState | undefined;
  /** Which copy `state` is. */
  from: 'local' | 'repository' | 'none';
  /** The local state file, and whether it held a state. */
  path: string;
  localFound: boolean;
  /** The repository location holding the record. */
  where: string;
  /**
   * Where saves go: the local file, and the record too when the repository was reached (a damaged
   * record is written anew by the first save).
   */
  checkpoint: CheckpointStore;
  /** The repository, when it was opened (lenient use opens it from the plan and the environment). */
  repository?: RepositoryBackend;
  /** Lenient use: why the record could not be read. */
  unread?: string;
  /** One line for the person when the state did not simply come from the local file, else undefined. */
  note?: string;
}

export interface LoadOptions {
  /** apply's rules (see above), with the repository apply opened (undefined: none reachable from here). */
  strict?: { repository: RepositoryBackend | undefined; verb: string };
  /** Lenient use: the environment holding the repository's credentials. */
  env?: Record<string, string | undefined>;
}

export async function loadRunState(plan: Plan, planFile: string, opts: LoadOptions): Promise<LoadedRunState> {
  const { fileCheckpoint } = await import('../run/checkpoint.js');
  const { mirroredCheckpoint, newerState, recordName } = await import('../run/state-mirror.js');
  const { readRecord } = await import('../run/record-read.js');
  const path = statePath(planFile);
  const where = plan.repository.settings.location;
  const local = fileCheckpoint(path);
  const localState = local.load();
  const name = recordName(plan);

  let repository: RepositoryBackend | undefined;
  let unread: string | undefined;
  if (opts.strict) repository = opts.strict.repository;
  else {
    try {
      repository = await openFromPlan(plan, opts.env ?? {});
    } catch (e) {
      unread = (e as Error).message;
    }
  }
  const record = repository?.runRecord;
  // No client for this store here (HDFS): apply keeps no record either, so there is nothing to
  // warn about beside a local state.
  if (!opts.strict && !record && !unread && !localState) unread = `${where} cannot be read from here`;
  let remote: RunState | undefined;
  let note: string | undefined;
  let reached = record !== undefined;
  try {
    remote = record ? await readRecord(record, name, where) : undefined;
  } catch (e) {
    const damaged = isMigrateError(e) && (e.code === 'state-unreadable' || e.code === 'state-invalid');
    if (opts.strict) {
      // The record is a copy written after the local file, so a readable local state is at least
      // as new; a damaged copy (an upload cut short on a store that keeps partial objects) is
      // rewritten from it at the next save. Without a local state there is nothing to fall back on.
      if (!localState || !isMigrateError(e) || e.code !== 'state-unreadable') throw e;
      note = `state: the run's record in ${where} cannot be read; continuing from ${path}, which writes it anew`;
    } else {
      unread = (e as Error).message;
      reached = damaged;
    }
  }
  if (unread && localState) note = `state: the run's record in ${where} cannot be read (${unread}); using ${path}, which may be older`;
  const { state, from } = newerState(localState, remote);
  if (from === 'repository') note = `state: ${opts.strict?.verb ?? 'read'} from the run's record in ${where} (newer than ${path}, or that file is gone)`;
  const checkpoint = record && reached ? mirroredCheckpoint(local, record, name, where) : local;
  return { state, from, path, localFound: localState !== undefined, where, checkpoint, ...(repository ? { repository } : {}), ...(unread !== undefined ? { unread } : {}), ...(note ? { note } : {}) };
}

/** The plan's repository with credentials from the environment, as apply opens it. */
async function openFromPlan(plan: Plan, env: Record<string, string | undefined>): Promise<RepositoryBackend | undefined> {
  const { readCredentials } = await import('../storage/credentials.js');
  return openReachableRepository(plan.repository.settings, readCredentials(plan.repository.settings, env));
}

/** The repository as this machine can reach it; undefined where there is no client for it here (HDFS without WebHDFS). */
export async function openReachableRepository(settings: Plan['repository']['settings'], secrets: RepositorySecrets): Promise<RepositoryBackend | undefined> {
  if (settings.backend === 'hdfs' && !settings.webhdfs) return undefined;
  const { openRepository } = await import('../storage/backend.js');
  return openRepository(settings, secrets);
}

/** Where a command that needs a state looked and found none, for its error: names a record that could not be read. */
export const whereLooked = (loaded: LoadedRunState): string =>
  loaded.unread ? `${loaded.path}; the run's record in ${loaded.where} could not be read: ${loaded.unread}` : `${loaded.path}, nor a record in ${loaded.where}`;
