// One step, whatever its kind, driven to an outcome recorded in the state. A step that throws
// fails (resumably); a job step whose attempt may be live on Doris keeps that fact for the next run.
import { DorisQueryError, LostReplyError } from '../../doris/client.js';
import { isMigrateError } from '../../errors.js';
import type { Step } from '../../plan/schema.js';
import { Aborted, type RunContext } from '../context.js';
import { explainJobFailure } from '../explain.js';
import { isActive, isJobStep } from '../state-model.js';
import { materializedViewStep, manual, setProperties } from './followups.js';
import { dropStep } from './drop.js';
import { driveJob } from './jobs.js';
import { createDatabase, createRepository, preflight } from './setup.js';
import { verifyStep } from './verify.js';

/** Any step other than a job: marked running (durably), announced, then run once. */
async function runOnce(ctx: RunContext, step: Exclude<Step, { kind: 'backup' | 'restore' }>): Promise<void> {
  const s = ctx.st(step.id);
  s.status = 'running';
  s.startedAt = ctx.deps.now().toISOString();
  await ctx.save(step.id);
  ctx.deps.emit({ kind: 'step-started', step: step.id, title: step.title });
  switch (step.kind) {
    case 'preflight':
      return preflight(ctx, step);
    case 'create-repository':
      return createRepository(ctx, step);
    case 'create-database':
      return createDatabase(ctx, step);
    case 'colocate':
    case 'dynamic-partition':
      return setProperties(ctx, step);
    case 'mtmv':
      return materializedViewStep(ctx, step);
    case 'manual':
      return manual(ctx, step);
    case 'verify':
      return verifyStep(ctx, step);
    case 'drop':
      return dropStep(ctx, step);
  }
}

/** Times a step that reads before it writes runs again after a lost reply, within one run. */
const LOST_REPLY_RERUNS = 3;

export async function driveStep(ctx: RunContext, step: Step, lostReplies = 0): Promise<void> {
  try {
    if (step.kind === 'backup' || step.kind === 'restore') await driveJob(ctx, step);
    else await runOnce(ctx, step);
  } catch (e) {
    if (e instanceof Aborted) return;
    // A write whose reply was lost: these steps read the cluster before they write (the
    // repository at our location, the table's properties, the MV; CREATE DATABASE IF NOT
    // EXISTS), so running the step again resolves what happened without a blind repeat.
    if (e instanceof LostReplyError && lostReplies < LOST_REPLY_RERUNS && step.kind !== 'manual' && !isJobStep(step.kind)) return driveStep(ctx, step, lostReplies + 1);
    if (isMigrateError(e) && e.exitCode === 4) ctx.refuse();
    // A job step that stops here on our side (a lost connection, an unreadable listing) may
    // have a live job on Doris: the next run reconciles that attempt instead of starting anew.
    const s = ctx.st(step.id);
    const inFlight = isJobStep(step.kind) && isActive(s) ? (s.status as 'submitting' | 'running') : undefined;
    await ctx.fail(step, e instanceof DorisQueryError ? explainJobFailure(step, s.label ?? '', 'submission', e.detail) : (e as Error).message, inFlight);
  }
}
