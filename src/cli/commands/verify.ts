// `doris-migrate verify PLAN [--json] [--level quick|full]`: compares what the plan migrated on
// the source and the target; exit 5 when anything differs.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, usageError } from '../../errors.js';
import type { Verification, VerifyLevel } from '../../verify/model.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { openClusters } from '../run-context.js';
import { verifyProgress } from '../verify-progress.js';
import type { CommandRegistrar } from './index.js';
import { helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

export interface VerifyFlags {
  json?: boolean;
  level?: string;
}

export async function runVerify(planArg: string, flags: VerifyFlags, io: CliIO): Promise<number> {
  const level = (flags.level ?? 'quick') as VerifyLevel;
  if (level !== 'quick' && level !== 'full') throw usageError('bad-level', `--level ${flags.level} is not a verification level: use quick (row counts per table) or full (per partition)`);
  const planFile = resolve(io.cwd, planArg);
  const plan = readPlanFile(planFile);
  const { runVerification } = await import('../../verify/run.js');
  const { verificationText } = await import('../../verify/render-text.js');
  const clusters = await openClusters(plan, io);
  const progress = verifyProgress(io.stderr, (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.CI);
  let verification: Verification;
  try {
    verification = await runVerification(plan, level, { ...clusters, now: () => new Date(), onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
    await clusters.close();
  }
  // The report shows this verification next to the run it checks (the state is read, never
  // written), read as status reads it: the newer of the local state and the run's record.
  const { loadRunState } = await import('../load-run-state.js');
  const { writeReport } = await import('../report-file.js');
  const loaded = await loadRunState(plan, planFile, { env: io.env });
  if (loaded.note) writeLine(io.stderr, loaded.note);
  const { state } = loaded;
  const report = writeReport(planFile, plan, state, new Date(), verification);
  if (flags.json) writeLine(io.stdout, JSON.stringify(verification, null, 2));
  else {
    io.stdout.write(verificationText(verification));
    writeLine(io.stdout, `report: ${report}`);
  }
  return verification.differences.length ? ExitCode.Differences : ExitCode.Ok;
}

export const registerVerify: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('verify')
    .description('compare what the plan migrated on the source and the target (exit 5 on differences)')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate verify plans/q4-move.yaml', 'doris-migrate verify plans/q4-move.yaml --level full --json'],
      env: [...PASSWORD_ENV, "to read the run's record in the repository for the report (without them: the local state file alone, with a warning):", ...REPOSITORY_ENV.map((l) => `  ${l}`)],
      exits: ['0  source and target match', '1  a cluster could not be reached', '2  bad usage or plan', '4  a cluster refused the login', '5  differences found (listed, and in the report)'],
    }))
    .argument('<plan>', 'plan file')
    .option('--json', 'print the verification as JSON')
    .option('--level <level>', 'quick: row counts per table; full: row counts per partition', 'quick')
    .action((plan: string, flags: VerifyFlags) => done(runVerify(plan, flags, io)));
};
