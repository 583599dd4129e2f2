// `doris-migrate sandbox`: a local source and target Doris simulator plus s3rver and Azurite,
// for trying the tool and for tests. Prints one JSON line when ready; stops on SIGINT/SIGTERM.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, usageError } from '../../errors.js';
import type { CommandRegistrar } from './index.js';
import { writeLine, type CliIO } from '../io.js';
import { helpAfter } from '../help.js';

export interface SandboxFlags {
  seed?: string;
  sourcePort?: string;
  targetPort?: string;
  dataDir?: string;
  dorisVersion: string;
  targetVersion: string;
  speed?: string;
  timeScale?: string;
  azure: boolean;
}

const port = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usageError('bad-port', `${flag} must be a port number (0 = any free port), got '${value}'`);
  return n;
};
const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw usageError('bad-number', `${flag} must be a positive number, got '${value}'`);
  return n;
};

export async function runSandbox(flags: SandboxFlags, io: CliIO, until: Promise<unknown>): Promise<number> {
  let seedSql: string | undefined;
  if (flags.seed) {
    try {
      seedSql = readFileSync(resolve(io.cwd, flags.seed), 'utf8');
    } catch {
      throw usageError('seed-unreadable', `cannot read --seed ${flags.seed}: give a readable .sql file`);
    }
  }
  const options = {
    sourcePort: port(flags.sourcePort, '--source-port'),
    targetPort: port(flags.targetPort, '--target-port'),
    speedBytesPerSecond: positive(flags.speed, '--speed'),
    timeScale: positive(flags.timeScale, '--time-scale'),
  };
  const ownDir = flags.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'doris-migrate-sandbox-'));
  const { startSandbox } = await import('../../sandbox/index.js');
  let sandbox;
  try {
    sandbox = await startSandbox({
      ...options,
      dataDir: flags.dataDir ? resolve(io.cwd, flags.dataDir) : ownDir!,
      sourceVersion: flags.dorisVersion,
      targetVersion: flags.targetVersion,
      seedSql,
      azure: flags.azure,
      rootPassword: io.env.DORIS_SANDBOX_PASSWORD ?? '',
    });
  } catch (e) {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw usageError('sandbox-start', `sandbox did not start: ${(e as Error).message.split('\n')[0]}`);
  }
  writeLine(io.stdout, sandbox.describe());
  await until;
  await sandbox.stop();
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  return ExitCode.Ok;
}

const untilSignal = (): Promise<string> =>
  new Promise((resolveSignal) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolveSignal(s));
  });

export const registerSandbox: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('sandbox')
    .description('start a local source and target Doris simulator, s3rver and Azurite; print their addresses as one JSON line')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate sandbox --data-dir .sandbox', 'doris-migrate sandbox --doris-version 2.1 --target-version 3.0 --seed my-catalog.sql'],
      env: [],
      exits: ['0  stopped by Ctrl-C or SIGTERM', '2  bad usage'],
    }))
    .option('--seed <file.sql>', 'SQL script run on the source when its data dir is new')
    .option('--source-port <n>', 'source FE MySQL port (0 = any free port)')
    .option('--target-port <n>', 'target FE MySQL port (0 = any free port)')
    .option('--data-dir <dir>', 'keep the clusters here (survives restarts); default a temporary directory')
    .option('--doris-version <v>', 'source version: 2.0, 2.1, 3.0, 4.0, cloud or a build like 2.1.7', '2.1')
    .option('--target-version <v>', 'target version', '3.0')
    .option('--speed <bytes>', 'bytes per simulated second per backend that jobs move')
    .option('--time-scale <x>', 'simulated seconds per real second')
    .option('--no-azure', 'do not start Azurite')
    .action((flags: SandboxFlags) => done(runSandbox(flags, io, untilSignal())));
};
