// applyPlan: runs a plan step by step. Every side effect is preceded by a durable intent in the
// state file and followed by its outcome, so a run killed at any instant resumes by asking the
// clusters what happened (reconcile.ts) and never submits a job twice. The steps themselves live
// in steps/*; this file holds the loop: schedule what is ready, drive it, settle the result.
import type { Plan, Step } from '../plan/schema.js';
import { runContext, type RunContext, type RunDeps } from './context.js';
import type { RunResult } from './events.js';
import { Dispatcher } from './dispatcher.js';
import { initialState, isActive, restartStatus, type RunState } from './state-model.js';
import { driveStep } from './steps/index.js';
import { withoutDrifted } from './drift.js';

export type { RunDeps } from './context.js';

export async function applyPlan(plan: Plan, deps: RunDeps, initial?: RunState): Promise<{ result: RunResult; state: RunState }> {
  const state = initial ?? deps.checkpoint.load() ?? initialState(plan, deps.now().toISOString());
  const resumed = Object.values(state.steps).some((s) => s.status !== 'pending');
  // A job's end wakes the loop before its outcome is durable: the next job's intent shares that write.
  let wake = (): void => undefined;
  const jobEnded = (): void => wake();
  // What an earlier run of this plan skipped (--accept-drift) stays skipped; preflight may add to it.
  const ctx = runContext(withoutDrifted(plan, state.skipped ?? []), deps, state, jobEnded);
  prepareResume(ctx);
  const dispatcher = new Dispatcher(ctx.plan, state, { concurrency: plan.options.concurrency });
  const inflight = new Map<string, Promise<void>>();
  const settled = (step: Step) => () => {
    inflight.delete(step.id);
    dispatcher.settled(step.id);
  };
  // The dispatcher ranks the plan as it was at the start; a step is driven as the plan is now
  // (preflight's --accept-drift takes drifted tables out of ctx.plan after the dispatcher was made).
  let current = { plan: ctx.plan, byId: new Map(ctx.plan.steps.map((s) => [s.id, s])) };
  const now = (step: Step): Step => {
    if (current.plan !== ctx.plan) current = { plan: ctx.plan, byId: new Map(ctx.plan.steps.map((s) => [s.id, s])) };
    return current.byId.get(step.id) ?? step;
  };
  const drive = (step: Step): void => void inflight.set(step.id, driveStep(ctx, now(step)).finally(settled(step)));
  // Steps that were in flight when the last run stopped: reconcile them first.
  for (const step of ctx.plan.steps) {
    if (!isActive(ctx.st(step.id))) continue;
    dispatcher.started(step.id);
    drive(step);
  }
  deps.emit({ kind: 'run-started', plan: plan.name, steps: plan.steps.length, done: Object.values(state.steps).filter((s) => s.status === 'done').length, resumed });
  // The whole state first: the run may start from a state that is not the one on disk (the run's
  // record in the repository, a plan change accepted in memory, steps set to run again above), and
  // journal lines on top of an older snapshot would bring old step states back after a crash.
  // Also puts the state file back in place when there is none yet (a first run, a lost file).
  void ctx.saveAll();
  const aborted = new Promise<void>((resolve) => deps.signal.addEventListener('abort', () => resolve(), { once: true }));
  for (;;) {
    if (!deps.signal.aborted && !ctx.refused) {
      for (const step of dispatcher.take()) drive(step);
    }
    if (inflight.size === 0) break;
    await Promise.race([...inflight.values(), aborted, new Promise<void>((resolve) => (wake = resolve))]);
    if (deps.signal.aborted) {
      await Promise.allSettled([...inflight.values()]);
      break;
    }
  }
  // The run's end folds the journal into the state file, which then says everything on its own.
  await ctx.saveAll();
  return { result: settle(ctx), state };
}

/**
 * Failed steps get another chance in a new run (their attempts continue; one that failed while
 * its job may be live resumes in that status and is reconciled first); manual ones when the
 * person says they are done (--followups).
 */
function prepareResume(ctx: RunContext): void {
  for (const s of Object.values(ctx.state.steps)) {
    if (s.status === 'failed') {
      s.status = restartStatus(s);
      delete s.inFlight;
    } else if (ctx.deps.followups && s.status === 'manual') s.status = 'pending';
  }
}

/** The run's outcome, reported with its totals. */
function settle(ctx: RunContext): RunResult {
  const { plan, deps } = ctx;
  const statuses = Object.values(ctx.state.steps).map((s) => s.status);
  const done = statuses.filter((s) => s === 'done').length;
  const jobBytes = (s: Step): number => (s.kind === 'backup' || s.kind === 'restore' ? s.bytes : 0);
  const bytesTotal = plan.steps.reduce((n, s) => n + jobBytes(s), 0);
  const bytesDone = plan.steps.reduce((n, s) => n + (ctx.st(s.id).status === 'done' ? jobBytes(s) : 0), 0);
  const result: RunResult = deps.signal.aborted ? 'interrupted' : ctx.refused ? 'refused' : statuses.every((s) => s === 'done' || s === 'manual') ? 'done' : 'failed';
  deps.emit({ kind: 'run-finished', result, done, total: plan.steps.length, bytesDone, bytesTotal });
  return result;
}
