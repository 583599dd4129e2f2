// Installs repositories, BACKUP/RESTORE jobs, their SHOW/CANCEL statements, the job history and
// the job faults into a simulator engine.
import { ok, rows, type Ctx, type Engine, type Result } from '../engine.js';
import { dorisError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { Cursor } from '../sql/cursor.js';
import { backupStatement } from './backup.js';
import { backupSnapshots } from './backup-snapshots.js';
import { isDone, jobsState, type BackupJob, type HistoryEntry } from './model.js';
import type { ObjStore } from '../objstore/types.js';
import { guarded, openObjStore } from '../repository/open.js';
import { storeSpec } from '../repository/properties.js';
import { createRepository, dropRepository, showCreateRepository, showRepositories, type OpenStore } from './repository.js';
import { recoverJobs } from './recover.js';
import { restoreStatement } from './restore.js';
import { startRunner } from './runner.js';
import { resourceSettings, type ResourceConfig } from './resources.js';
import { cancelStatement, showBackup, showRestore, showSnapshot } from './show-jobs.js';

/** Default transfer speed: 100 MB per simulated second per upload or download worker of a backend. */
export const DEFAULT_SPEED = 100 * 1024 * 1024;

function jobFaults(c: Cursor, { sim }: Ctx): Result | undefined {
  const state = jobsState(sim.world);
  if (c.accept('FAIL', 'JOB')) {
    // ADMIN SIM FAIL JOB <db> [LABEL '<label>'] AT <STATE> WITH '<message>'
    const db = c.ident();
    const label = c.accept('LABEL') ? c.string() : undefined;
    c.expect('AT');
    const at = c.ident().toUpperCase();
    c.expect('WITH');
    const message = c.string();
    c.end();
    state.failRules.push({ db, state: at, message, ...(label ? { label } : {}) });
    sim.changed();
    return ok();
  }
  if (c.accept('SET', 'BACKEND', 'CONFIG')) {
    // ADMIN SIM SET BACKEND CONFIG ("upload_worker_count" = "2", ...): every backend alike.
    const props = c.properties();
    c.end();
    let settings: Partial<ResourceConfig>;
    try {
      settings = resourceSettings(props);
    } catch (e) {
      throw dorisError((e as Error).message);
    }
    state.resources = { ...state.resources, ...settings };
    sim.changed();
    return ok();
  }
  if (c.accept('SET', 'REPOSITORY')) {
    const name = c.ident();
    if (c.accept('BANDWIDTH')) {
      // ADMIN SIM SET REPOSITORY <name> BANDWIDTH <bytes per second>; 0 lifts the cap.
      const cap = c.number();
      c.end();
      if (!state.repositories[name]) throw dorisError(`Repository ${name} does not exist`);
      if (!(cap >= 0)) throw dorisError('bandwidth must be a non-negative number of bytes per second');
      state.bandwidth = { ...state.bandwidth, [name]: cap };
      if (cap === 0) delete state.bandwidth[name];
      sim.changed();
      return ok();
    }
    const reachable = c.accept('REACHABLE') ? true : (c.expect('UNREACHABLE'), false);
    c.end();
    if (!state.repositories[name]) throw dorisError(`Repository ${name} does not exist`);
    state.unreachable = state.unreachable.filter((n) => n !== name);
    if (!reachable) state.unreachable.push(name);
    sim.changed();
    return ok();
  }
  if (c.accept('SHOW', 'JOB', 'HISTORY')) {
    c.end();
    return rows(['Time', 'Statement', 'DbName', 'Label', 'Outcome'], state.history.map((h) => [formatDateTime(h.time), h.statement, h.db, h.label, h.outcome]));
  }
  return undefined;
}

export interface JobsHandle {
  /** Every BACKUP/RESTORE/CANCEL statement received, oldest first. */
  history(): HistoryEntry[];
  /** Jobs this start put back to the last state Doris logs (caught between two at the last stop). */
  recovered: number;
  stop(): void;
}

export function installJobs(sim: Engine, dataDir: string, speed = DEFAULT_SPEED, resources?: Partial<ResourceConfig>): JobsHandle {
  if (resources) jobsState(sim.world).resources = { ...jobsState(sim.world).resources, ...resources };
  const opened = new Map<string, Promise<ObjStore>>();
  const open: OpenStore = (repoName, spec, location) => {
    // One client per repository and configuration; the fault switch is read on every call.
    const key = JSON.stringify([repoName, location, spec]);
    let store = opened.get(key);
    if (!store) {
      store = openObjStore(spec, dataDir).then((s) => guarded(s, () => jobsState(sim.world).unreachable.includes(repoName), location));
      opened.set(key, store);
    }
    return store;
  };
  const store = (repo: string): Promise<ObjStore> => {
    const record = jobsState(sim.world).repositories[repo];
    if (!record) return Promise.reject(new Error(`failed to get repository: ${repo}`));
    try {
      return open(repo, storeSpec(sim.version, record.kind, record.location, record.properties), record.location);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const record = (ctx: Ctx, statement: HistoryEntry['statement'], db: string, label: string, outcome: string): void => {
    jobsState(ctx.sim.world).history.push({ time: ctx.sim.clock.now(), statement, db, label, outcome });
    ctx.sim.changed();
  };
  sim.register(
    createRepository(open),
    dropRepository,
    showRepositories,
    showCreateRepository,
    backupStatement(store, (ctx, label, db, outcome) => record(ctx, 'BACKUP', db, label, outcome)),
    restoreStatement(store, (ctx, label, db, outcome) => record(ctx, 'RESTORE', db, label, outcome)),
    showBackup,
    showRestore,
    showSnapshot(store),
    cancelStatement((ctx, statement, db, outcome) => record(ctx, statement, db, '', outcome)),
  );
  sim.adminSimExtensions.push(jobFaults);
  sim.hooks.beforeTruncate = (db) => {
    const running = jobsState(sim.world).jobs.find((j) => j.db === db && j.kind === 'backup' && j.state === 'SNAPSHOTING' && !isDone(j));
    if (running) throw dorisError(`Backup is running on this db: ${db}`);
  };
  // A restarted FE resumes each job from its last logged state.
  const recovered = recoverJobs(sim);
  const snapshots = backupSnapshots(dataDir);
  snapshots.keepOnly(jobsState(sim.world).jobs.filter((j): j is BackupJob => j.kind === 'backup' && !isDone(j)));
  const runner = startRunner({ sim, store, speed, snapshots });
  return { history: () => [...jobsState(sim.world).history], recovered, stop: () => runner.stop() };
}
