// `doris-migrate status PLAN [--json]`: where a migration stands, from its state file or the run's
// record in the repository, whichever is newer (load-run-state.ts).
import { resolve } from 'node:path';
import { ExitCode } from '../../errors.js';
import { formatBytes } from '../../plan/render.js';
import { readPlanFile } from '../plan-file.js';
import { loadRunState } from '../load-run-state.js';
import { stateSource } from '../view-state.js';
import { writeLine, type CliIO } from '../io.js';
import type { CommandRegistrar } from './index.js';
import { helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

export async function runStatus(planArg: string, flags: { json?: boolean; refresh?: boolean }, io: CliIO): Promise<number> {
  const planFile = resolve(io.cwd, planArg);
  const plan = readPlanFile(planFile);
  // The newer of the local file and the repository's record, as apply resumes; read only.
  const viewed = await loadRunState(plan, planFile, { env: io.env });
  if (viewed.note) writeLine(io.stderr, viewed.note);
  const { state } = viewed;
  const rows = plan.steps.map((s) => {
    const st = state?.steps[s.id];
    return { id: s.id, kind: s.kind, status: st?.status ?? 'pending', attempt: st?.attempt ?? 0, label: st?.label, dorisState: st?.dorisState, lastError: st?.lastError, bytes: s.kind === 'backup' || s.kind === 'restore' ? s.bytes : 0 };
  });
  if (flags.refresh && state) {
    // Ask the clusters about running jobs (read only: the state belongs to apply).
    const { openClusters } = await import('../run-context.js');
    const { jobsWithLabel } = await import('../../run/observe.js');
    const clusters = await openClusters(plan, io);
    try {
      for (const r of rows) {
        const step = plan.steps.find((s) => s.id === r.id)!;
        if ((r.status !== 'running' && r.status !== 'submitting') || !r.label || (step.kind !== 'backup' && step.kind !== 'restore')) continue;
        const job = (await jobsWithLabel(step.kind === 'backup' ? clusters.source : clusters.target, step.kind, step.database, r.label)).at(-1);
        if (job) r.dorisState = `${job.state}${job.progress ? ` ${job.progress}` : ''} (live)`;
      }
    } finally {
      await clusters.close();
    }
  }
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  const summary = { plan: plan.name, started: state !== undefined, stateFrom: viewed.from, ...(viewed.unread ? { stateUnread: viewed.unread } : {}), updatedAt: state?.updatedAt, done: count('done'), running: count('running') + count('submitting'), failed: count('failed'), pending: count('pending'), manual: count('manual'), total: rows.length };
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ...summary, steps: rows }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const bytesDone = rows.filter((r) => r.status === 'done').reduce((s, r) => s + r.bytes, 0);
  const bytesAll = rows.reduce((s, r) => s + r.bytes, 0);
  const out = [
    `${plan.name}: ${state ? `last update ${state.updatedAt}` : 'not started'} (${stateSource(viewed)})`,
    `  ${summary.done} done, ${summary.running} running, ${summary.failed} failed, ${summary.pending} pending${summary.manual ? `, ${summary.manual} for a person` : ''} (of ${summary.total}); ${formatBytes(bytesDone)} of ${formatBytes(bytesAll)} through backup and restore jobs`,
    '',
    ...rows.map((r) => `  ${r.status.padEnd(10)} ${r.id}${r.label ? `  [${r.label}${r.dorisState ? ` ${r.dorisState}` : ''}]` : ''}${r.lastError ? `\n             ${r.lastError}` : ''}`),
  ];
  io.stdout.write(`${out.join('\n')}\n`);
  return ExitCode.Ok;
}

export const registerStatus: CommandRegistrar = (program, io, done) => {
  program
    .command('status')
    .description('show where a migration stands (from its state file or the run\'s record in the repository, whichever is newer)')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate status plans/q4-move.yaml', 'doris-migrate status plans/q4-move.yaml --refresh --json'],
      env: ['with --refresh:', ...PASSWORD_ENV.map((l) => `  ${l}`), "to read the run's record in the repository (without them: the local state file alone, with a warning):", ...REPOSITORY_ENV.map((l) => `  ${l}`)],
      exits: ['0  shown', '2  the plan or its state cannot be read'],
    }))
    .argument('<plan>', 'plan file')
    .option('--json', 'machine-readable output')
    .option('--refresh', 'ask the clusters about running jobs')
    .action((plan: string, flags: { json?: boolean; refresh?: boolean }) => done(runStatus(plan, flags, io)));
};
