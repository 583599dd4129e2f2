// applyPlan: runs a plan step by step. Every side effect is preceded by a durable intent in the
// state file and followed by its outcome, so a run killed at any instant resumes by asking the
// clusters what happened (reconcile.ts) and never submits a job twice.
import type { DorisClient } from '../doris/client.js';
import { DorisQueryError } from '../doris/client.js';
import { text } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import { isMigrateError } from '../errors.js';
import { attemptLabel } from '../plan/labels.js';
import type { BackupStep, Plan, RestoreStep, Step } from '../plan/schema.js';
import { stepStatements } from '../plan/statements.js';
import type { RepositoryBackend } from '../storage/backend.js';
import type { RepositorySecrets } from '../storage/properties.js';
import { coalescedSaves, type CheckpointStore } from './checkpoint.js';
import type { RunEvent, RunResult } from './events.js';
import { observeBackup, observeRestore } from './observe.js';
import { decideBackup, decideRestore, type Action, type Observation } from './reconcile.js';
import { readySteps, remainingChain } from './scheduler.js';
import { initialState, isActive, isJobStep, restartStatus, restoreJobKey, type RunState, type StepState } from './state-model.js';
import { explainJobFailure } from './explain.js';
import { runVerification } from '../verify/run.js';
import { materializedView, missingProperties, refreshedOrRefreshing } from '../verify/effects.js';

export interface RunDeps {
  source: DorisClient;
  target: DorisClient;
  /** Repository checks (preflight, snapshot files); absent where the backend cannot be reached from here. */
  repository?: RepositoryBackend;
  secrets: RepositorySecrets;
  checkpoint: CheckpointStore;
  emit: (e: RunEvent) => void;
  signal: AbortSignal;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  pollIntervalMs: number;
  /**
   * How long a cluster may stay unreachable while we watch a job (an FE restart, a network blip)
   * before the step fails; it stays resumable either way. Default 5 minutes.
   */
  outageMs?: number;
  /** Run manual follow-ups' SQL (and count them done) instead of leaving them for a person. */
  followups?: boolean;
}

class Aborted extends Error {}

export async function applyPlan(plan: Plan, deps: RunDeps, initial?: RunState): Promise<{ result: RunResult; state: RunState }> {
  const state = initial ?? deps.checkpoint.load() ?? initialState(plan, deps.now().toISOString());
  const resumed = Object.values(state.steps).some((s) => s.status !== 'pending');
  const chain = remainingChain(plan);
  // One write per event-loop turn however many transitions asked for it; a transition that is
  // followed by a side effect (or reported as final) awaits its write: write-ahead, as before.
  const saves = coalescedSaves(() => {
    state.updatedAt = deps.now().toISOString();
    deps.checkpoint.save(state);
  });
  const save = (): Promise<void> => saves.request();
  const st = (id: string): StepState => state.steps[id]!;
  const client = (cluster: 'source' | 'target'): DorisClient => (cluster === 'source' ? deps.source : deps.target);
  const sleep = async (ms: number): Promise<void> => {
    if (deps.signal.aborted) throw new Aborted();
    await deps.sleep(ms, deps.signal).catch(() => undefined);
    if (deps.signal.aborted) throw new Aborted();
  };
  let refused = false;

  const finish = async (step: Step, note?: string): Promise<void> => {
    const s = st(step.id);
    s.status = 'done';
    s.finishedAt = deps.now().toISOString();
    delete s.lastError;
    await save();
    deps.emit({ kind: 'step-finished', step: step.id, title: step.title, ...(note ? { note } : {}) });
  };
  /** `inFlight`: the attempt may still be live on Doris (we lost sight of it, Doris did not end it). */
  const fail = async (step: Step, error: string, inFlight?: 'submitting' | 'running'): Promise<void> => {
    const s = st(step.id);
    s.status = 'failed';
    s.lastError = error;
    if (inFlight) s.inFlight = inFlight;
    else delete s.inFlight;
    await save();
    deps.emit({ kind: 'step-failed', step: step.id, title: step.title, error });
  };

  /** Records a new attempt's intent (durably) before anything is sent. */
  const intend = async (step: BackupStep | RestoreStep): Promise<void> => {
    const s = st(step.id);
    // Restores reuse their snapshot's label: note the jobs that already carry it, so reconcile
    // can tell ours apart. Read before anything changes, so a failed read leaves no half intent.
    const prior = step.kind === 'restore' ? (await observeRestore(deps.target, step.database, st(step.backupStep).label!)).jobs : undefined;
    s.attempt += 1;
    s.status = 'submitting';
    s.startedAt ??= deps.now().toISOString();
    if (step.kind === 'backup') s.label = attemptLabel(step.label, s.attempt);
    else {
      const backup = st(step.backupStep);
      s.label = backup.label!;
      s.backupTimestamp = backup.backupTimestamp!;
      s.priorJobs = prior!.length;
      s.priorJobKeys = prior!.map(restoreJobKey);
    }
    delete s.jobId;
    await save();
  };

  const submit = async (step: BackupStep | RestoreStep): Promise<'sent' | 'busy' | 'burned'> => {
    const s = st(step.id);
    const [statement] = stepStatements(plan, step, { attempt: s.attempt, backupLabel: s.label!, ...(s.backupTimestamp ? { backupTimestamp: s.backupTimestamp } : {}) });
    try {
      await client(step.cluster).query(statement!);
      return 'sent';
    } catch (e) {
      if (!(e instanceof DorisQueryError)) throw e;
      if (/Can only run one backup or restore job/.test(e.detail) || /Another backup or restore job is being submitted/.test(e.detail)) return 'busy';
      if (/already exist in repository/.test(e.detail)) return 'burned';
      throw e;
    }
  };

  /**
   * What the cluster shows about a job. These are reads, safe to repeat, so a lost connection
   * (the client has already retried a few times) is waited out with a growing pause, for up to
   * `outageMs`; the job itself keeps running on Doris meanwhile.
   */
  const observe = async (step: BackupStep | RestoreStep, label: string): Promise<Observation> => {
    let since: number | undefined;
    for (let pause = deps.pollIntervalMs; ; pause = Math.min(pause * 2, 60_000)) {
      try {
        return step.kind === 'backup' ? await observeBackup(deps.source, plan.repository.name, step.database, label) : await observeRestore(deps.target, step.database, label);
      } catch (e) {
        if (!isMigrateError(e) || e.code !== 'connection-failed') throw e;
        since ??= deps.now().getTime();
        if (deps.now().getTime() - since >= (deps.outageMs ?? 5 * 60_000)) throw e;
        await sleep(pause);
      }
    }
  };

  const driveJob = async (step: BackupStep | RestoreStep): Promise<void> => {
    const s = st(step.id);
    const adopted = s.status !== 'pending';
    if (!adopted) await intend(step);
    deps.emit({ kind: 'step-started', step: step.id, title: step.title, label: s.label!, ...(adopted ? { adopted } : {}) });
    const started = Date.now();
    for (;;) {
      const obs = await observe(step, s.label!);
      const action: Action = step.kind === 'backup' ? decideBackup(s, obs, plan.options.maxAttempts) : decideRestore(s, obs, plan.options.maxAttempts);
      switch (action.kind) {
        case 'submit': {
          const outcome = await submit(step);
          if (outcome === 'sent') {
            s.status = 'running';
            void save();
          } else if (outcome === 'burned') {
            s.history.push({ attempt: s.attempt, label: s.label!, outcome: 'label already taken in the repository', at: deps.now().toISOString() });
            await intend(step);
            deps.emit({ kind: 'step-retry', step: step.id, reason: 'label already taken in the repository', nextLabel: s.label! });
            continue;
          } else await sleep(deps.pollIntervalMs);
          continue;
        }
        case 'watch':
          if (s.status !== 'running' || s.jobId !== action.job.jobId || s.dorisState !== action.job.state) {
            s.status = 'running';
            s.jobId = action.job.jobId;
            s.dorisState = action.job.state;
            void save();
          }
          deps.emit({ kind: 'job-state', step: step.id, database: step.database, label: s.label!, state: action.job.state, progress: action.job.progress, elapsedMs: Date.now() - started });
          await sleep(deps.pollIntervalMs);
          continue;
        case 'finished': {
          if (action.job) s.jobId = action.job.jobId;
          s.dorisState = 'FINISHED';
          if (step.kind === 'backup') {
            if (!action.timestamp) {
              // FINISHED in SHOW BACKUP but the info file not listed yet: ask again shortly.
              await sleep(deps.pollIntervalMs);
              continue;
            }
            s.backupTimestamp = action.timestamp;
            const files = deps.repository ? await deps.repository.snapshotFiles(plan.repository.name, s.label!) : undefined;
            if (deps.repository && (!files || files.timestamps.length === 0)) {
              await fail(step, `backup ${s.label} of ${step.database} finished but its snapshot is not in ${plan.repository.settings.location}: check that both clusters use the same repository location`);
              return;
            }
            s.history.push({ attempt: s.attempt, label: s.label!, outcome: 'finished', at: deps.now().toISOString() });
            await finish(step, files ? `${files.files} files, ${files.bytes} bytes in the repository` : undefined);
          } else {
            s.history.push({ attempt: s.attempt, label: s.label!, outcome: 'finished', at: deps.now().toISOString() });
            await finish(step);
          }
          return;
        }
        case 'retry': {
          s.history.push({ attempt: s.attempt, label: s.label!, outcome: action.reason, at: deps.now().toISOString() });
          await intend(step);
          deps.emit({ kind: 'step-retry', step: step.id, reason: action.reason, nextLabel: s.label! });
          continue;
        }
        case 'fail':
          await fail(step, explainJobFailure(step, s.label!, s.dorisState ?? 'CANCELLED', action.reason));
          return;
      }
    }
  };

  const driveOther = async (step: Step): Promise<void> => {
    const s = st(step.id);
    s.status = 'running';
    s.startedAt = deps.now().toISOString();
    await save();
    deps.emit({ kind: 'step-started', step: step.id, title: step.title });
    switch (step.kind) {
      case 'preflight': {
        for (const [cluster, c] of [['source', deps.source], ['target', deps.target]] as const) {
          const [row] = await c.query('SELECT @@version_comment AS v');
          const comment = text(row ?? {}, 'v') ?? '';
          const expected = plan[cluster].version;
          if (!comment.includes(`doris-${expected}`)) {
            refused = true;
            await fail(step, `the ${cluster} ${c.address} now runs ${comment}, but the plan was made for Doris ${expected}: make a new plan`);
            return;
          }
        }
        if (deps.repository) await deps.repository.preflight(plan.repository.name);
        return finish(step);
      }
      case 'create-repository': {
        const c = client(step.cluster);
        const existing = (await c.query(sql.showRepositories())).find((r) => text(r, 'RepoName') === plan.repository.name);
        if (existing) {
          const location = text(existing, 'Location') ?? '';
          const [statement] = stepStatements(plan, step);
          if (!statement!.includes(`ON LOCATION "${location}"`)) return fail(step, `repository ${plan.repository.name} already exists on the ${step.cluster} at ${location}, not at the plan's location: drop it or plan with --repository-name`);
          return finish(step, 'already there');
        }
        for (const statement of stepStatements(plan, step, { secrets: deps.secrets })) await c.query(statement);
        return finish(step);
      }
      case 'create-database':
        for (const statement of stepStatements(plan, step)) await deps.target.query(statement);
        return finish(step);
      case 'colocate':
      case 'dynamic-partition': {
        // Idempotent: a rerun (e.g. after a crash between the ALTER and the checkpoint) finds the
        // properties in place and changes nothing; afterwards the table must show them.
        const wanted = step.expect;
        if (wanted && (await missingProperties(deps.target, step.database, step.object, wanted)).length === 0) return finish(step, 'already in place');
        for (const statement of step.sql) await deps.target.query(statement);
        const missing = wanted ? await missingProperties(deps.target, step.database, step.object, wanted) : [];
        if (missing.length) return fail(step, `${step.database}.${step.object} still shows ${missing.join(', ')} after ${step.sql.join('; ')}: check the table on the target (SHOW CREATE TABLE)`);
        return finish(step);
      }
      case 'mtmv': {
        // A rerun (e.g. after a crash between the statements and the checkpoint) neither recreates
        // an MV that is there nor refreshes one whose refresh succeeded or is running.
        const before = await materializedView(deps.target, step.database, step.object);
        if (before && refreshedOrRefreshing(before.refreshState)) return finish(step, 'already in place');
        const [create, ...refresh] = step.sql;
        if (!before) await deps.target.query(create!);
        for (const statement of refresh) await deps.target.query(statement);
        if (!(await materializedView(deps.target, step.database, step.object))) return fail(step, `materialized view ${step.database}.${step.object} is not on the target after CREATE MATERIALIZED VIEW: check mv_infos("database" = "${step.database}")`);
        return finish(step, before ? `already there (refresh state ${before.refreshState || 'unknown'}); refreshed` : undefined);
      }
      case 'manual':
        if (deps.followups) {
          for (const statement of step.sql) await deps.target.query(statement);
          return finish(step, 'confirmed with --followups');
        }
        s.status = 'manual';
        await save();
        deps.emit({ kind: 'manual', step: step.id, title: step.title, instructions: step.instructions, sql: step.sql });
        return;
      case 'verify': {
        const v = await runVerification(plan, 'quick', { source: deps.source, target: deps.target, now: deps.now });
        state.verification = v;
        if (v.differences.length) {
          const shown = v.differences.slice(0, 5).map((d) => `${d.object} ${d.aspect}: expected ${d.expected}, found ${d.actual}`);
          return fail(step, `source and target differ in ${v.differences.length} place(s): ${shown.join('; ')}${v.differences.length > 5 ? '; ...' : ''} (doris-migrate verify PLAN lists them all)`);
        }
        return finish(step, `source and target match: ${v.tables} table(s), ${v.views} view(s), ${v.rows} rows`);
      }
      case 'backup':
      case 'restore':
        return;
    }
  };

  const drive = async (step: Step): Promise<void> => {
    try {
      if (step.kind === 'backup' || step.kind === 'restore') await driveJob(step);
      else await driveOther(step);
    } catch (e) {
      if (e instanceof Aborted) return;
      if (isMigrateError(e) && e.exitCode === 4) refused = true;
      // A job step that stops here on our side (a lost connection, an unreadable listing) may
      // have a live job on Doris: the next run reconciles that attempt instead of starting anew.
      const s = st(step.id);
      const inFlight = isJobStep(step.kind) && isActive(s) ? (s.status as 'submitting' | 'running') : undefined;
      await fail(step, e instanceof DorisQueryError ? explainJobFailure(step, s.label ?? '', 'submission', e.detail) : (e as Error).message, inFlight);
    }
  };

  // Failed steps get another chance in a new run (their attempts continue; one that failed while
  // its job may be live is reconciled first, below); manual ones when the person says they are
  // done (--followups).
  for (const s of Object.values(state.steps)) {
    if (s.status === 'failed') {
      s.status = restartStatus(s);
      delete s.inFlight;
    } else if (deps.followups && s.status === 'manual') s.status = 'pending';
  }
  // Steps that were in flight when the last run stopped: reconcile them first.
  const inflight = new Map<string, Promise<void>>();
  for (const step of plan.steps) if (isActive(st(step.id))) inflight.set(step.id, drive(step).finally(() => inflight.delete(step.id)));
  deps.emit({ kind: 'run-started', plan: plan.name, steps: plan.steps.length, done: Object.values(state.steps).filter((s) => s.status === 'done').length, resumed });
  void save();
  const aborted = new Promise<void>((resolve) => deps.signal.addEventListener('abort', () => resolve(), { once: true }));
  for (;;) {
    if (!deps.signal.aborted && !refused) {
      for (const step of readySteps(plan, state, { concurrency: plan.options.concurrency }, chain)) {
        if (inflight.has(step.id)) continue;
        inflight.set(step.id, drive(step).finally(() => inflight.delete(step.id)));
      }
    }
    if (inflight.size === 0) break;
    await Promise.race([...inflight.values(), aborted]);
    if (deps.signal.aborted) {
      await Promise.allSettled([...inflight.values()]);
      break;
    }
  }
  await save();
  const statuses = Object.values(state.steps).map((s) => s.status);
  const done = statuses.filter((s) => s === 'done').length;
  const bytesTotal = plan.steps.reduce((n, s) => n + (s.kind === 'backup' || s.kind === 'restore' ? s.bytes : 0), 0);
  const bytesDone = plan.steps.reduce((n, s) => n + ((s.kind === 'backup' || s.kind === 'restore') && st(s.id).status === 'done' ? s.bytes : 0), 0);
  const result: RunResult = deps.signal.aborted ? 'interrupted' : refused ? 'refused' : statuses.every((s) => s === 'done' || s === 'manual') ? 'done' : 'failed';
  deps.emit({ kind: 'run-finished', result, done, total: plan.steps.length, bytesDone, bytesTotal });
  return { result, state };
}
