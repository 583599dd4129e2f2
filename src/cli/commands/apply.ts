// `doris-migrate apply PLAN`: run a plan with a checkpoint after every transition; resume after
// any interruption. Exit 0 done, 1 a step failed, 3 interrupted, 4 refused.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, isMigrateError, MigrateError, refusedError, usageError } from '../../errors.js';
import { positiveInt } from '../flags.js';
import { plural } from '../../plan/render.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { lineRenderer } from '../progress.js';
import { fileError } from '../../atomic-file.js';
import { onForcedExit, signalController } from '../interrupt.js';
import { MAX_GAP_MS } from '../../run/watcher.js';
import { lockPath, openClusters, statePath } from '../run-context.js';
import type { CommandRegistrar } from './index.js';
import type { DorisClient } from '../../doris/client.js';
import type { Plan } from '../../plan/schema.js';
import type { CheckpointStore } from '../../run/checkpoint.js';
import type { RunEvent } from '../../run/events.js';
import type { RunState } from '../../run/state-model.js';
import type { RepositoryBackend } from '../../storage/backend.js';
import type { RepositorySecrets } from '../../storage/properties.js';
import type { Trail } from '../trail.js';
import { VERSION } from '../version.js';
import { credentialVariables, readCredentials } from '../../storage/credentials.js';
import { operatorName } from '../operator.js';
import { maskError, planSecretMask, type Mask } from '../../secrets.js';
import { CI_ENV, helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

export interface ApplyFlags {
  yes?: boolean;
  concurrency?: string;
  pollInterval?: string;
  forceUnlock?: boolean;
  acceptPlanChanges?: boolean;
  followups?: boolean;
  acceptDrift?: boolean;
  cleanup?: boolean;
  json?: boolean;
}

export async function runApply(planArg: string, flags: ApplyFlags, io: CliIO, signal: AbortSignal): Promise<number> {
  const planFile = resolve(io.cwd, planArg);
  const plan = readPlanFile(planFile);
  const concurrency = positiveInt(flags.concurrency, '--concurrency');
  if (concurrency) plan.options.concurrency = { source: concurrency, target: concurrency };
  const pollSeconds = flags.pollInterval === undefined ? MAX_GAP_MS / 1000 : Number(flags.pollInterval);
  if (!(pollSeconds > 0)) throw usageError('bad-poll', `--poll-interval must be a positive number of seconds, got '${flags.pollInterval}'`);
  // With --json, stdout carries only the event lines; everything meant for a person goes to stderr.
  const say = (line: string) => writeLine(flags.json ? io.stderr : io.stdout, line);
  const ask = await prompter(io, flags);

  const { acquireLock } = await import('../../run/lock.js');
  const lockFile = lockPath(planFile);
  const lock = acquireLock(lockFile, new Date().toISOString(), { force: flags.forceUnlock ?? false });
  const forgetLock = onForcedExit(signal, () => lock.release());
  // A lock that cannot be removed (a read-only disk) must not hide the error the run ends with.
  const release = (failing: boolean): void => {
    forgetLock();
    try {
      lock.release();
    } catch (e) {
      const named = fileError('remove the lock', lockFile, e, 'delete it by hand once the disk is fixed');
      if (!failing) throw named;
      writeLine(io.stderr, `doris-migrate: also: ${named.message}`);
    }
  };
  const locked = async (): Promise<number> => {
    const was = lock.tookOver;
    if (was) {
      writeLine(io.stderr, was.alive
        ? `took over the lock of pid ${was.pid} on ${was.host} (since ${was.since}), which ${was.host === hostname() ? 'is still running' : 'may still be running on that host'}: stop it, two applies of one plan must not run at once`
        : `took over a stale lock of pid ${was.pid} (no longer running)`);
    }
    // Secrets missing from the environment are asked here, hidden, before anything is confirmed
    // or connected; they live in this process only.
    const env = { ...io.env };
    if (ask) for (const variable of missingSecrets(plan, env)) env[variable] = await ask.password(`${variable} is not set: ${secretPurpose(plan, variable)} (hidden; empty for none):`);
    const secrets = readCredentials(plan.repository.settings, env);
    // From here every error on its way out, every trail line, is masked with what was just read.
    const mask = planSecretMask(plan, env, secrets);
    try {
      return await withSecrets(env, secrets, mask);
    } catch (e) {
      throw maskError(e, mask);
    }
  };
  const withSecrets = async (env: NodeJS.ProcessEnv, secrets: RepositorySecrets, mask: Mask): Promise<number> => {
    const { openReachableRepository } = await import('../load-run-state.js');
    const repository = await openReachableRepository(plan.repository.settings, secrets);
    const { openRunState } = await import('../apply-state.js');
    const { checkpoint, state } = await openRunState(plan, planFile, planArg, repository, flags, io);
    if (ask && !flags.yes) {
      const pending = plan.steps.filter((s) => (state?.steps[s.id]?.status ?? 'pending') !== 'done').length;
      if (!(await ask.confirm(`apply ${plan.name} (${pending} of ${plan.steps.length} steps to go) to ${plan.target.host}:${plan.target.port}?`))) {
        writeLine(io.stderr, 'nothing done');
        return ExitCode.Ok;
      }
    }
    const { openTrail } = await import('../trail.js');
    const trail = openTrail(planFile, mask, flags.json ? (line) => writeLine(io.stdout, line) : undefined);
    trail.write({ kind: 'apply-started', plan: plan.name, fingerprint: plan.fingerprint, tool: VERSION, operator: operatorName(), host: hostname(), pid: process.pid });
    const ended = (result: string, exitCode: number, extra: { error?: string; report?: string } = {}) => trail.write({ kind: 'apply-ended', result, exitCode, ...extra });
    try {
      const code = await runWithClusters(plan, planFile, { ...io, env }, flags, { checkpoint, repository, secrets, signal, pollSeconds, trail, say, ask, state, ended });
      return code;
    } catch (e) {
      try {
        ended('error', isMigrateError(e) ? e.exitCode : ExitCode.StepFailed, { error: e instanceof Error ? e.message : String(e) });
      } catch {
        // The trail cannot be written either (a full or read-only disk): the run's error is the one to show.
      }
      throw e;
    }
  };
  let code: number;
  try {
    code = await locked();
  } catch (e) {
    release(true);
    throw e;
  }
  release(false);
  return code;
}

async function refuseIfRanBefore(plan: Plan, planFile: string, clusters: { source: DorisClient; target: DorisClient }): Promise<void> {
  const { labelsInJobHistory } = await import('../../run/label-history.js');
  const ran = await labelsInJobHistory(plan, clusters);
  if (ran.length) {
    throw refusedError('state-missing', `${plan.name} has no state (${statePath(planFile)}) and no record in ${plan.repository.settings.location} reachable from here, but the clusters already ran jobs with its labels (${ran.slice(0, 2).join('; ')}${ran.length > 2 ? '; ...' : ''}): this plan ran before and its state is gone, or another migration uses its labels; restore the state file, or make a new plan (new labels) to migrate again`);
  }
}

interface RunParts {
  checkpoint: CheckpointStore;
  repository: RepositoryBackend | undefined;
  secrets: RepositorySecrets;
  signal: AbortSignal;
  pollSeconds: number;
  trail: Trail;
  say: (line: string) => void;
  ask: Prompter | undefined;
  state: RunState | undefined;
  ended: (result: string, exitCode: number, extra?: { error?: string; report?: string }) => void;
}

async function runWithClusters(plan: Plan, planFile: string, io: CliIO, flags: ApplyFlags, p: RunParts): Promise<number> {
  const { checkpoint, repository, secrets, signal, pollSeconds, trail, say, state } = p;
  const clusters = await openClusters(plan, io);
  try {
    // No state here or in the repository: refuse if the clusters show this migration already ran.
    if (!state) await refuseIfRanBefore(plan, planFile, clusters);
    const { applyPlan } = await import('../../run/executor.js');
    let bytes = { moved: 0, total: 0 };
    const run = (followups: boolean, initial: typeof state) => {
      const runWith = (render: (e: RunEvent) => void) =>
        applyPlan(
          plan,
          {
            ...clusters, ...(repository ? { repository } : {}), secrets, checkpoint, signal, now: () => new Date(), sleep: abortableSleep, pollIntervalMs: pollSeconds * 1000, followups, acceptDrift: flags.acceptDrift ?? false,
            emit: (e) => {
              if (e.kind === 'run-finished') bytes = { moved: e.bytesDone, total: e.bytesTotal };
              trail.write(e);
              render(e);
            },
          },
          initial,
        );
      if (flags.json) return runWith(() => undefined);
      return io.stdoutIsTTY && !io.env.CI ? import('../live-progress.js').then((m) => m.withLiveProgress(plan, runWith, (r) => r.result === 'done')) : runWith(lineRenderer(io));
    };
    const { writeReport } = await import('../report-file.js');
    let result: Awaited<ReturnType<typeof run>>['result'];
    let finalState: RunState;
    try {
      ({ result, state: finalState } = await run(flags.followups ?? false, state));
      // Manual follow-ups (printed above) wait for a person: in a terminal, ask whether they are done.
      const manual = plan.steps.filter((s) => finalState.steps[s.id]?.status === 'manual');
      if (result === 'done' && manual.length && p.ask && !flags.yes && !flags.followups) {
        const answer = p.ask.confirm(`${manual.length === 1 ? 'The follow-up above is' : `${manual.length} follow-ups above are`} for a person. ${manual.length === 1 ? 'Is it' : 'Are they'} done? (their SQL, if any, runs now)`).catch((e: unknown) => {
          // Ctrl-C here comes after the run wrote its state, unlike the prompts before it.
          throw e instanceof Error && e.name === 'ExitPromptError' ? new MigrateError('cancelled', 'cancelled; the run so far is saved (apply again to resume)', ExitCode.Interrupted) : e;
        });
        if (await answer) {
          ({ result, state: finalState } = await run(true, finalState));
        }
      }
    } catch (e) {
      // The run stopped on an error of ours: the report still shows what the checkpoint holds
      // (if that cannot be read or written either, the run's own error is the one to show).
      try {
        writeLine(io.stderr, `report: ${writeReport(planFile, plan, checkpoint.load() ?? state, new Date())}`);
      } catch {
        /* keep e */
      }
      throw e;
    }
    const report = writeReport(planFile, plan, finalState, new Date());
    const { summaryLines } = await import('../run-summary.js');
    const summary = () => summaryLines({ plan, state: finalState, result, bytes, report });
    if (result === 'refused') {
      for (const line of summary()) say(line);
      p.ended(result, ExitCode.Refused, { report });
      throw refusedError('preflight', `preflight refused the plan (see the failed step above); report: ${report}`);
    }
    say(`state: ${checkpoint.path}`);
    if (flags.cleanup) {
      if (result !== 'done') writeLine(io.stderr, 'not cleaning up: the migration is not done and verified');
      else if (!repository) writeLine(io.stderr, `not cleaning up: ${plan.repository.settings.location} cannot be reached from here; delete the snapshots with the storage's own tools`);
      else {
        // Every label this migration used, including burned attempts, and nothing else.
        const labels = new Set(Object.values(finalState.steps).flatMap((s) => [...(s.label ? [s.label] : []), ...s.history.map((h) => h.label)]));
        let files = 0;
        for (const label of labels) files += await repository.deleteSnapshot(plan.repository.name, label);
        say(`cleanup: deleted ${plural(labels.size, 'snapshot')}, ${plural(files, 'file')} from ${plan.repository.settings.location}`);
      }
    }
    say(`log: ${trail.path}`);
    // Last, so a reader finds the outcome and the report at the bottom of the output.
    for (const line of summary()) say(line);
    const code = result === 'done' ? ExitCode.Ok : result === 'interrupted' ? ExitCode.Interrupted : ExitCode.StepFailed;
    p.ended(result, code, { report });
    return code;
  } finally {
    await clusters.close();
  }
}

/** The environment variables this plan's clusters and repository read that are not set. */
function missingSecrets(plan: Plan, env: NodeJS.ProcessEnv): string[] {
  const repo = credentialVariables(plan.repository.settings).filter((v) => v.required).map((v) => v.variable);
  return [...new Set([plan.source.passwordEnv, plan.target.passwordEnv, ...repo])].filter((v) => env[v] === undefined);
}

function secretPurpose(plan: Plan, variable: string): string {
  if (variable === plan.source.passwordEnv) return `password of ${plan.source.user}@${plan.source.host}:${plan.source.port}`;
  if (variable === plan.target.passwordEnv) return `password of ${plan.target.user}@${plan.target.host}:${plan.target.port}`;
  return `credential of the repository ${plan.repository.settings.location}`;
}

interface Prompter {
  password(message: string): Promise<string>;
  confirm(message: string): Promise<boolean>;
}

/** Prompts in a terminal only; with --json they write to stderr, keeping stdout for events. */
async function prompter(io: CliIO, flags: ApplyFlags): Promise<Prompter | undefined> {
  if (!io.interactive) return undefined;
  const p = await import('@inquirer/prompts');
  const context = flags.json ? { output: io.stderr } : undefined;
  return {
    password: (message) => p.password({ message, mask: '*' }, context),
    confirm: (message) => p.confirm({ message, default: false }, context),
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((done) => {
    const onAbort = () => {
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const registerApply: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('apply')
    .description('run a plan: backups, restores and follow-ups, with a checkpoint after every step; resumes where it stopped')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate apply plans/q4-move.yaml', 'doris-migrate apply plans/q4-move.yaml --yes --json > run.jsonl   # CI: events as JSON lines'],
      env: [...PASSWORD_ENV, ...REPOSITORY_ENV, CI_ENV],
      exits: ['0  done', '1  a step failed (state saved; apply again resumes)', '2  bad usage or plan', '3  interrupted (state saved; apply again resumes)', '4  refused by preflight'],
    }))
    .argument('<plan>', 'plan file')
    .option('--yes', 'do not ask for confirmation')
    .option('--concurrency <n>', 'jobs at a time per cluster (overrides the plan)')
    .option('--poll-interval <seconds>', 'longest wait between two looks at a running job (polls come closer near its start and expected end)')
    .option('--force-unlock', "take the plan's lock even if another host holds it")
    .option('--accept-plan-changes', 'continue a started migration with an edited plan')
    .option('--followups', "run the manual follow-ups' SQL and count them done (you checked them)")
    .option('--accept-drift', 'skip the tables and partitions that drifted on the source since planning (dropped, schema changed) instead of refusing')
    .option('--json', 'write the run\'s events to stdout as JSON lines (the same lines as plans/<name>.log), for CI')
    .option('--cleanup', "after a verified run, delete this migration's snapshots from the repository (never by default)")
    .action((plan: string, flags: ApplyFlags) => done(runApply(plan, flags, io, signalController(io).signal)));
};
