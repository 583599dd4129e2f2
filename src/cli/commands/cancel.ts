// `doris-migrate cancel PLAN`: stop a running apply, cancel the Doris jobs proved ours and still
// running, and record exactly those, so the next apply starts them again under new labels.
// Everything else in the state is left as it is: a job that finished while apply was down is
// recorded by the next apply, not called cancelled.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DorisQueryError, type DorisClient } from '../../doris/client.js';
import { ExitCode, usageError } from '../../errors.js';
import type { Plan } from '../../plan/schema.js';
import { sql } from '../../doris/sql.js';
import { jobsWithLabel } from '../../run/observe.js';
import { ownBackupJob, ownRestoreJob } from '../../run/reconcile.js';
import { mayBeLive, type StepState } from '../../run/state-model.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { lockPath, openClusters } from '../run-context.js';
import type { CommandRegistrar } from './index.js';
import { helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

async function stopRunningApply(lock: string, io: CliIO): Promise<void> {
  const { lockHolder } = await import('../../run/lock.js');
  // Only an apply on this host can be asked; acquireLock below says what it finds otherwise.
  const holder = lockHolder(lock);
  if (!holder?.running || holder.host !== hostname() || holder.pid <= 0 || holder.pid === process.pid) return;
  try {
    process.kill(holder.pid, 'SIGTERM');
    writeLine(io.stderr, `asked the running apply (pid ${holder.pid}) to stop`);
  } catch {
    return;
  }
  for (let i = 0; i < 300 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
}

const ended = (state: string): boolean => state === 'FINISHED' || state === 'CANCELLED';

/** Cancels the step's job if it is proved ours and still running; says what it found. True if cancelled. */
async function cancelOne(step: Extract<Plan['steps'][number], { kind: 'backup' | 'restore' }>, st: StepState, client: DorisClient, io: CliIO): Promise<boolean> {
  const label = st.label!;
  const what = `${step.kind.toUpperCase()} ${label} of ${step.database}`;
  const own = (jobs: Awaited<ReturnType<typeof jobsWithLabel>>) => (step.kind === 'backup' ? ownBackupJob(st, jobs) : ownRestoreJob(st, jobs));
  const ours = own(await jobsWithLabel(client, step.kind, step.database, label));
  if (!ours) {
    writeLine(io.stdout, `${what}: no job of ours on the ${step.cluster}; nothing to cancel`);
    return false;
  }
  if (ended(ours.state)) {
    writeLine(io.stdout, `${what}: already ${ours.state} (JobId ${ours.jobId}); left for apply to record`);
    return false;
  }
  // Doris cancels the database's latest job, not one by label: ours is that job while it runs
  // (one job per database at a time). It is read again just before, and after, to be sure.
  try {
    await client.query(step.kind === 'backup' ? sql.cancelBackup(step.database) : sql.cancelRestore(step.database));
  } catch (e) {
    if (e instanceof DorisQueryError && /can not be cancelled|is currently running/i.test(e.detail)) {
      writeLine(io.stdout, `${what}: ended before it could be cancelled (${e.detail}); left for apply to record`);
      return false;
    }
    throw e;
  }
  const after = own(await jobsWithLabel(client, step.kind, step.database, label));
  if (after?.state !== 'CANCELLED') {
    writeLine(io.stderr, `${what}: ${after?.state ?? 'gone'} after CANCEL ${step.kind.toUpperCase()} FROM ${step.database}, which cancels the database's latest job: check SHOW ${step.kind.toUpperCase()} FROM ${step.database} for a job that is not ours`);
    return false;
  }
  writeLine(io.stdout, `cancelled ${what}`);
  return true;
}

export async function runCancel(planArg: string, io: CliIO): Promise<number> {
  const planFile = resolve(io.cwd, planArg);
  const plan = readPlanFile(planFile);
  const { acquireLock } = await import('../../run/lock.js');
  const { loadRunState, whereLooked } = await import('../load-run-state.js');
  await stopRunningApply(lockPath(planFile), io);
  const lock = acquireLock(lockPath(planFile), new Date().toISOString());
  try {
    // The newer of the local state and the run's record (another machine's apply, a lost local
    // file); what is cancelled is written to both, as apply writes.
    const loaded = await loadRunState(plan, planFile, { env: io.env });
    if (loaded.note) writeLine(io.stderr, loaded.note);
    const { state, checkpoint } = loaded;
    if (!state) throw usageError('not-started', `${plan.name} has not been applied: nothing to cancel (no state in ${whereLooked(loaded)})`);
    const clusters = await openClusters(plan, io);
    let cancelled = 0;
    try {
      for (const step of plan.steps) {
        const st = state.steps[step.id];
        // Steps whose job may still run on Doris: in flight, or failed on our side mid-job.
        if (!st || !mayBeLive(st) || !st.label || (step.kind !== 'backup' && step.kind !== 'restore')) continue;
        if (!(await cancelOne(step, st, step.kind === 'backup' ? clusters.source : clusters.target, io))) continue;
        cancelled++;
        st.status = 'failed';
        delete st.inFlight;
        st.dorisState = 'CANCELLED';
        st.lastError = 'cancelled by doris-migrate cancel';
        st.history.push({ attempt: st.attempt, label: st.label, outcome: 'cancelled by user', at: new Date().toISOString() });
        state.updatedAt = new Date().toISOString();
        await checkpoint.save(state);
      }
    } finally {
      await clusters.close();
    }
    writeLine(io.stdout, `${cancelled} job(s) cancelled${cancelled ? '; run apply again to start them over under new labels' : ''}`);
    return ExitCode.Ok;
  } finally {
    lock.release();
  }
}

export const registerCancel: CommandRegistrar = (program, io, done) => {
  program
    .command('cancel')
    .description('stop a running apply and cancel its running Doris jobs (only jobs proved ours)')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate cancel plans/q4-move.yaml'],
      env: [...PASSWORD_ENV, "to read the run's record in the repository (without them: the local state file alone, with a warning):", ...REPOSITORY_ENV.map((l) => `  ${l}`)],
      exits: ['0  cancelled (or nothing of ours was running)', '1  a cluster could not be reached, or the run\'s record could not be written (the local state is saved)', '2  bad usage or plan', '4  a cluster refused the login'],
    }))
    .argument('<plan>', 'plan file')
    .action((plan: string) => done(runCancel(plan, io)));
};
