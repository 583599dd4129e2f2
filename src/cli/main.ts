// The one exit point: parses argv, runs a command, turns errors into a line and an exit code.
import { Command, CommanderError } from 'commander';
import { ExitCode, isMigrateError } from '../errors.js';
import { registrars } from './commands/index.js';
import { processIO, writeLine, type CliIO } from './io.js';
import { VERSION } from './version.js';

export { VERSION } from './version.js';

export function buildProgram(io: CliIO, done: (p: Promise<number>) => void): Command {
  const program = new Command('doris-migrate')
    .description('Plan, review, apply and verify Apache Doris migrations through BACKUP and RESTORE.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of registrars) register(program, io, done);
  return program;
}

/** Runs the CLI and resolves to the process exit code; never throws, never calls process.exit. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, (p) => {
    pending = p;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return pending ? await pending : ExitCode.Ok;
  } catch (error) {
    return renderError(error, io);
  }
}

export function renderError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // commander already printed help/version/usage text.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return ExitCode.Ok;
    }
    return ExitCode.Usage;
  }
  // Ctrl-C at a prompt (inquirer reads it as a key, so no signal is raised): every prompt comes
  // before anything is written, except apply's last question, which says so itself.
  if (error instanceof Error && error.name === 'ExitPromptError') {
    writeLine(io.stderr, '\ndoris-migrate: cancelled, nothing written');
    return ExitCode.Interrupted;
  }
  if (isMigrateError(error)) {
    writeLine(io.stderr, `doris-migrate: ${error.message}`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLine(io.stderr, `doris-migrate: unexpected error (this is a bug, please report it):\n${stack}`);
  return ExitCode.StepFailed;
}
