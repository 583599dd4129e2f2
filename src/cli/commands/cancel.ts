// `doris-migrate cancel PLAN`: stop a running apply, cancel the Doris jobs that are ours (their
// labels), and record it, so the next apply starts those steps again under new labels.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, usageError } from '../../errors.js';
import { sql } from '../../doris/sql.js';
import { jobsWithLabel } from '../../run/observe.js';
import { mayBeLive } from '../../run/state-model.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { lockPath, openClusters, statePath } from '../run-context.js';
import type { CommandRegistrar } from './index.js';

async function stopRunningApply(lock: string, io: CliIO): Promise<void> {
  if (!existsSync(lock)) return;
  const holder = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
  try {
    process.kill(holder.pid, 'SIGTERM');
    writeLine(io.stderr, `asked the running apply (pid ${holder.pid}) to stop`);
  } catch {
    return;
  }
  for (let i = 0; i < 300 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
}

export async function runCancel(planArg: string, io: CliIO): Promise<number> {
  const planFile = resolve(io.cwd, planArg);
  const plan = readPlanFile(planFile);
  const { fileCheckpoint } = await import('../../run/checkpoint.js');
  const { acquireLock } = await import('../../run/lock.js');
  const checkpoint = fileCheckpoint(statePath(planFile));
  await stopRunningApply(lockPath(planFile), io);
  const lock = acquireLock(lockPath(planFile), new Date().toISOString());
  try {
    const state = checkpoint.load();
    if (!state) throw usageError('not-started', `${plan.name} has not been applied: nothing to cancel`);
    const clusters = await openClusters(plan, io);
    let cancelled = 0;
    try {
      for (const step of plan.steps) {
        const st = state.steps[step.id];
        // Steps whose job may still run on Doris: in flight, or failed on our side mid-job.
        if (!st || !mayBeLive(st) || !st.label || (step.kind !== 'backup' && step.kind !== 'restore')) continue;
        const client = step.kind === 'backup' ? clusters.source : clusters.target;
        const ours = (await jobsWithLabel(client, step.kind, step.database, st.label)).at(-1);
        // Only a job carrying our label, still running, is cancelled: never someone else's.
        if (ours && ours.state !== 'FINISHED' && ours.state !== 'CANCELLED') {
          await client.query(step.kind === 'backup' ? sql.cancelBackup(step.database) : sql.cancelRestore(step.database));
          cancelled++;
          writeLine(io.stdout, `cancelled ${step.kind.toUpperCase()} ${st.label} of ${step.database}`);
        }
        st.status = 'failed';
        delete st.inFlight;
        st.lastError = 'cancelled by doris-migrate cancel';
        st.history.push({ attempt: st.attempt, label: st.label, outcome: 'cancelled by user', at: new Date().toISOString() });
      }
    } finally {
      await clusters.close();
    }
    state.updatedAt = new Date().toISOString();
    checkpoint.save(state);
    writeLine(io.stdout, `${cancelled} job(s) cancelled; run apply again to start them over under new labels`);
    return ExitCode.Ok;
  } finally {
    lock.release();
  }
}

export const registerCancel: CommandRegistrar = (program, io, done) => {
  program
    .command('cancel')
    .description('stop a running apply and cancel its running Doris jobs (only jobs with our labels)')
    .argument('<plan>', 'plan file')
    .action((plan: string) => done(runCancel(plan, io)));
};
