// BACKUP and RESTORE steps: record the intent, submit, watch, and settle the outcome. Every
// attempt's intent is on disk before its statement goes out, so a run killed at any instant
// resumes by asking the cluster what happened (reconcile.ts) and never submits a job twice.
import { DorisQueryError, LostReplyError } from '../../doris/client.js';
import { capabilitiesOf, parseVersionComment } from '../../doris/capabilities.js';
import { progressFraction, type JobRow } from '../../doris/parse-results.js';
import { isMigrateError } from '../../errors.js';
import { attemptLabel } from '../../plan/labels.js';
import { stepStatements } from '../../plan/statements.js';
import type { RunContext } from '../context.js';
import { explainJobFailure } from '../explain.js';
import { jobsWithLabel, observeBackup, observeRestore } from '../observe.js';
import { decideBackup, decideRestore, type Action, type Observation } from '../reconcile.js';
import { restoreJobKey, type JobStep } from '../state-model.js';
import { jobTimes, NEAR_MS, nextPollDelay, noteProgress, type ProgressMemory } from '../watcher.js';
import { noteSnapshotVersions, versionsBeforeBackup } from '../capture.js';
import { clusterGone, LOST_REPLY_LOOKS, overdue, SNAPSHOT_POLLS } from './bounds.js';
import { recreateRepository } from './setup.js';

/** Whether a backup's object is a table (with partitions), not a view; plans without a read record say by their follow-ups' absence. */
const isTable = (plan: RunContext['plan'], database: string, name: string): boolean =>
  plan.read ? plan.read.tables[database]?.[name] !== undefined : true;

/** The label an attempt sends: a backup's own per attempt, a restore's its snapshot's. */
const labelOf = (ctx: RunContext, step: JobStep, attempt: number): string => (step.kind === 'backup' ? attemptLabel(step.label, attempt) : ctx.st(step.backupStep).label!);

/**
 * The keys of the jobs that already carry the attempt's label: none of them is ours (another
 * migration's, or an earlier attempt of this restore). Read before anything changes, so a failed
 * read leaves no half intent.
 */
const priorKeys = async (ctx: RunContext, step: JobStep, label: string): Promise<string[]> => (await jobsWithLabel(ctx.client(step.cluster), step.kind, step.database, label)).map(restoreJobKey);

/** Records a new attempt's intent (durably) before anything is sent. */
export async function intend(ctx: RunContext, step: JobStep): Promise<void> {
  const s = ctx.st(step.id);
  const prior = await priorKeys(ctx, step, labelOf(ctx, step, s.attempt + 1));
  // Where the snapshot's own record cannot be read afterwards (no repository client here), what
  // the partitions hold just before the BACKUP goes out: never later than its snapshot.
  const before = step.kind === 'backup' && !ctx.deps.repository ? await versionsBeforeBackup(ctx.deps.source, step, (name) => isTable(ctx.plan, step.database, name)) : undefined;
  s.attempt += 1;
  s.status = 'submitting';
  s.startedAt ??= ctx.deps.now().toISOString();
  s.attemptStartedAt = ctx.deps.now().toISOString();
  s.label = labelOf(ctx, step, s.attempt);
  s.priorJobKeys = prior;
  if (step.kind === 'backup') {
    if (before) {
      s.captured = before;
      s.capturedFrom = 'before-backup';
    } else {
      delete s.captured;
      delete s.capturedFrom;
    }
  } else {
    s.backupTimestamp = ctx.st(step.backupStep).backupTimestamp!;
    s.priorJobs = prior.length;
  }
  delete s.jobId;
  await ctx.save(step.id);
}

/**
 * Sends the attempt's statement: `busy` when the database already runs a job, `burned` when the
 * label is taken, `unknown` when the reply was lost (the next observation tells).
 */
export async function submit(ctx: RunContext, step: JobStep): Promise<'sent' | 'busy' | 'burned' | 'unknown' | 'no-repository'> {
  const s = ctx.st(step.id);
  const [statement] = stepStatements(ctx.plan, step, { attempt: s.attempt, backupLabel: s.label!, ...(s.backupTimestamp ? { backupTimestamp: s.backupTimestamp } : {}) });
  try {
    await ctx.client(step.cluster).query(statement!);
    return 'sent';
  } catch (e) {
    // Sent, reply lost: whether our job exists is read from the cluster, never sent again blindly.
    if (e instanceof LostReplyError) return 'unknown';
    if (!(e instanceof DorisQueryError)) throw e;
    if (/Can only run one backup or restore job/.test(e.detail) || /Another backup or restore job is being submitted/.test(e.detail)) return 'busy';
    if (/already exist in repository/.test(e.detail)) return 'burned';
    if (/Repository \S* ?does not exist|repository not exist/i.test(e.detail)) return 'no-repository';
    throw e;
  }
}

/**
 * What the cluster shows about a job. These are reads, safe to repeat, so a lost connection
 * (the client has already retried a few times) is waited out with a growing pause, for up to
 * `outageMs`; the job itself keeps running on Doris meanwhile.
 */
export async function observe(ctx: RunContext, step: JobStep, label: string): Promise<Observation> {
  const { deps } = ctx;
  let since: number | undefined;
  for (let pause = quickly(ctx); ; pause = Math.min(pause * 2, 60_000)) {
    try {
      return step.kind === 'backup' ? await observeBackup(deps.source, ctx.plan.repository.name, step.database, label) : await observeRestore(deps.target, step.database, label, briefRestore(ctx));
    } catch (e) {
      if (!isMigrateError(e) || e.code !== 'connection-failed') throw e;
      since ??= deps.now().getTime();
      const outageMs = deps.outageMs ?? 5 * 60_000;
      if (deps.now().getTime() - since >= outageMs) throw clusterGone(step, label, ctx.client(step.cluster).address, outageMs, e);
      await ctx.sleep(pause);
    }
  }
}

/** Whether the target answers SHOW BRIEF RESTORE: watching needs no per-table RestoreObjs. */
const briefRestore = (ctx: RunContext): boolean => {
  const v = parseVersionComment(`doris-${ctx.plan.target.version}`);
  return v !== undefined && capabilitiesOf(v).showBriefRestore;
};

/** A short wait (a busy database, a snapshot not listed yet, a lost connection), at most --poll-interval. */
const quickly = (ctx: RunContext): number => Math.min(ctx.deps.pollIntervalMs, NEAR_MS);

/** What the watcher remembers of the job it watches (see watcher.ts). */
interface Watch extends ProgressMemory {
  startedMs: number;
  /** Seen from its submission: its duration measures the cluster's throughput. */
  measured: boolean;
}

/** The wait before the next look at a running job. */
function pollDelay(ctx: RunContext, step: JobStep, watch: Watch, job: JobRow): number {
  const nowMs = ctx.deps.now().getTime();
  const fraction = progressFraction(job.progress);
  noteProgress(watch, nowMs, job.state, fraction);
  const expected = ctx.throughput.of(step.cluster);
  return nextPollDelay({
    nowMs, startedMs: watch.startedMs, bytes: step.bytes, throughput: expected?.bytesPerMs, fixedMs: expected?.fixedMs,
    state: job.state, fraction, movingSinceMs: watch.movingSinceMs, firstMoved: watch.firstMoved,
  }, ctx.deps.pollIntervalMs);
}

/** Starts a new attempt after the last one ended badly (or its label was taken). */
async function retry(ctx: RunContext, step: JobStep, why: string): Promise<void> {
  const reason = ctx.mask(why);
  const s = ctx.st(step.id);
  s.history.push({ attempt: s.attempt, label: s.label!, outcome: reason, at: ctx.deps.now().toISOString() });
  await intend(ctx, step);
  ctx.deps.emit({ kind: 'step-retry', step: step.id, reason, nextLabel: s.label! });
}

/** Settles a FINISHED job; `false` when a backup's snapshot is not listed yet (ask again). */
async function settle(ctx: RunContext, step: JobStep, action: Extract<Action, { kind: 'finished' }>): Promise<boolean> {
  const s = ctx.st(step.id);
  const { repository } = ctx.deps;
  if (action.job) s.jobId = action.job.jobId;
  s.dorisState = 'FINISHED';
  if (step.kind === 'restore') {
    s.history.push({ attempt: s.attempt, label: s.label!, outcome: 'finished', at: ctx.deps.now().toISOString() });
    await ctx.finish(step);
    return true;
  }
  // FINISHED in SHOW BACKUP but the info file not listed yet: ask again shortly.
  if (!action.timestamp) return false;
  s.backupTimestamp = action.timestamp;
  const files = repository ? await repository.snapshotFiles(ctx.plan.repository.name, s.label!) : undefined;
  if (repository && (!files || files.timestamps.length === 0)) {
    await ctx.fail(step, `backup ${s.label} of ${step.database} finished but its snapshot is not in ${ctx.plan.repository.settings.location}: check that both clusters use the same repository location`);
    return true;
  }
  const versions = await noteSnapshotVersions(repository, ctx.plan.repository.name, s);
  s.history.push({ attempt: s.attempt, label: s.label!, outcome: 'finished', at: ctx.deps.now().toISOString() });
  await ctx.finish(step, `${files ? `${files.files} files, ${files.bytes} bytes in the repository; ` : ''}${versions}`);
  return true;
}

/**
 * Runs a job step to its end: a new attempt, or (adopted) the attempt a previous run left in
 * flight, which is reconciled with what the cluster shows before anything is sent.
 */
export async function driveJob(ctx: RunContext, step: JobStep): Promise<void> {
  const { deps, plan } = ctx;
  const s = ctx.st(step.id);
  // Everything it held drifted away on the source, and the run was told to skip that.
  if (step.tables.length === 0) {
    s.status = 'running';
    return ctx.finish(step, `skipped: ${step.kind === 'backup' ? 'its tables' : 'what it restores'} drifted on the source (--accept-drift)`);
  }
  const adopted = s.status !== 'pending';
  if (!adopted) await intend(ctx, step);
  deps.emit({ kind: 'step-started', step: step.id, title: step.title, label: s.label!, ...(adopted ? { adopted } : {}) });
  const started = Date.now();
  let unlisted = 0;
  let recreated = false;
  // The attempt whose statement lost its reply, and the looks left before it counts as never run.
  let lost: { attempt: number; looks: number } | undefined;
  // An adopted job started before this run (its age counts from the intent); only jobs seen from
  // their submission to their end tell the throughput.
  let watch: Watch = { startedMs: (adopted && Date.parse(s.startedAt ?? '')) || deps.now().getTime(), measured: false };
  for (;;) {
    const obs = await observe(ctx, step, s.label!);
    const action: Action = step.kind === 'backup' ? decideBackup(s, obs, plan.options.maxAttempts) : decideRestore(s, obs, plan.options.maxAttempts);
    switch (action.kind) {
      case 'submit': {
        if (lost?.attempt === s.attempt && lost.looks > 0) {
          lost.looks--;
          await ctx.sleep(quickly(ctx));
          continue;
        }
        const outcome = await submit(ctx, step);
        if (outcome === 'sent') {
          s.status = 'running';
          void ctx.save(step.id);
          watch = { startedMs: deps.now().getTime(), measured: true };
        } else if (outcome === 'burned') await retry(ctx, step, 'label already taken in the repository');
        else if (outcome === 'no-repository') {
          // Refused before it began: the attempt is not used up. Made again once per run at most.
          const name = plan.repository.name;
          if (recreated || !(await recreateRepository(ctx, step.cluster))) {
            return ctx.fail(step, `${step.kind.toUpperCase()} ${s.label} of ${step.database}: repository ${name} is gone from the ${step.cluster}${recreated ? ' again after it was created anew' : ''}: create it there again at ${plan.repository.settings.location} (doris-migrate review PLAN --format sql shows the statement), then run apply again`, 'submitting');
          }
          recreated = true;
          deps.emit({ kind: 'step-retry', step: step.id, reason: `repository ${name} was gone from the ${step.cluster}: created it again at ${plan.repository.settings.location}`, nextLabel: s.label! });
        }
        else if (outcome === 'unknown') lost = { attempt: s.attempt, looks: LOST_REPLY_LOOKS };
        else if (outcome === 'busy') {
          // Refused, so nothing of ours exists: a job that took our label meanwhile is not ours.
          // Unless this attempt's statement lost its reply: the job it made may be the one now listed.
          if (lost?.attempt !== s.attempt) {
            s.priorJobKeys = await priorKeys(ctx, step, s.label!);
            void ctx.save(step.id);
          }
          const late = overdue(step, s, deps.now(), `the database's other job to end`);
          if (late) return ctx.fail(step, late, 'submitting');
          await ctx.sleep(quickly(ctx));
        }
        continue;
      }
      case 'watch':
        if (s.status !== 'running' || s.jobId !== action.job.jobId || s.dorisState !== action.job.state) {
          s.status = 'running';
          s.jobId = action.job.jobId;
          s.dorisState = action.job.state;
          void ctx.save(step.id);
        }
        deps.emit({ kind: 'job-state', step: step.id, database: step.database, label: s.label!, state: action.job.state, progress: action.job.progress, elapsedMs: Date.now() - started });
        {
          const late = overdue(step, s, deps.now(), `its job (${action.job.state})`);
          if (late) return ctx.fail(step, late, 'running');
        }
        await ctx.sleep(pollDelay(ctx, step, watch, action.job));
        continue;
      case 'finished': {
        if (await settle(ctx, step, action)) {
          // Doris's own times of the job if its row has them, else ours (from a submission we saw).
          const times = action.job ? jobTimes(action.job) : undefined;
          if (s.status === 'done' && (times || watch.measured)) ctx.throughput.record(step.cluster, step.bytes, times ?? { totalMs: deps.now().getTime() - watch.startedMs });
          return;
        }
        // FINISHED, but SHOW SNAPSHOT does not list the snapshot in our repository (yet).
        if (++unlisted >= SNAPSHOT_POLLS) {
          return ctx.fail(step, `backup ${s.label} of ${step.database} is FINISHED in SHOW BACKUP, but SHOW SNAPSHOT ON ${plan.repository.name} has not listed it after ${unlisted} checks: the job may be another migration's with the same label and another repository, or the repository's location differs between clusters; look at SHOW SNAPSHOT ON ${plan.repository.name} WHERE SNAPSHOT = "${s.label}", then run apply again`, 'running');
        }
        await ctx.sleep(quickly(ctx));
        continue;
      }
      case 'retry':
        await retry(ctx, step, action.reason);
        continue;
      case 'fail':
        // A label on a job not ours stays refused run after run (the same attempt is checked
        // again), until the plan is made again: never on to the next attempt's label.
        if (action.conflict) return ctx.fail(step, `${step.kind.toUpperCase()} ${s.label} of ${step.database}: ${action.reason}`, s.status === 'running' ? 'running' : 'submitting');
        await ctx.fail(step, explainJobFailure(step, s.label!, s.dorisState ?? 'CANCELLED', action.reason));
        return;
    }
  }
}
