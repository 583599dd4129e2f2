// `doris-migrate demo`: the whole flow on the local sandbox — two simulated clusters and an
// S3-compatible server with a realistic catalog — planned, reviewed and applied with live
// progress. Leaves plans/demo.yaml and its state for the user to open.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { writeLine, type CliIO } from '../io.js';
import type { CommandRegistrar } from './index.js';
import { runPlan } from './plan.js';
import { runReview } from './review.js';
import { runApply, signalController } from './apply.js';

const DEMO_SEED = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'catalogs', 'demo.sql');

export async function runDemo(io: CliIO, signal: AbortSignal): Promise<number> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { startSandbox } = await import('../../sandbox/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'doris-migrate-demo-'));
  // Each demo is a new migration: forget the previous demo's state.
  for (const f of ['demo.state.json', 'demo.lock']) rmSync(join(io.cwd, 'plans', f), { force: true });
  writeLine(io.stdout, '== 1. Sandbox: a Doris 2.1 source and a 3.0 target (simulated), and an S3-compatible server');
  const sandbox = await startSandbox({ dataDir, seedSql: readFileSync(resolve(DEMO_SEED), 'utf8'), azure: false, timeScale: 200 });
  // The sandbox's S3 server takes any secret; these stand in for the real variables.
  const env = { ...io.env, AWS_ACCESS_KEY_ID: sandbox.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.s3.secretAccessKey, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' };
  const demoIO: CliIO = { ...io, env, interactive: false };
  try {
    writeLine(io.stdout, `   source 127.0.0.1:${sandbox.source.port}, target 127.0.0.1:${sandbox.target.port}, s3 ${sandbox.s3.endpoint}\n`);
    writeLine(io.stdout, '== 2. plan');
    const planned = await runPlan(
      {
        source: `mysql://root@127.0.0.1:${sandbox.source.port}`, target: `mysql://root@127.0.0.1:${sandbox.target.port}`,
        repository: `s3://${sandbox.s3.bucket}/demo-${Date.now()}`, s3Endpoint: sandbox.s3.endpoint, replicationNum: '1',
        name: 'demo', yes: true, interactive: false, concurrency: '2',
      },
      demoIO,
      { now: () => new Date() },
    );
    if (planned !== ExitCode.Ok) return planned;
    writeLine(io.stdout, '\n== 3. review --format markdown (what a colleague approves)');
    runReview('plans/demo.yaml', 'markdown', demoIO);
    writeLine(io.stdout, '\n== 4. apply');
    const applied = await runApply('plans/demo.yaml', { yes: true, pollInterval: '0.2' }, demoIO, signal);
    writeLine(io.stdout, `\n== 5. The plan and its state are in ${join(io.cwd, 'plans')}: demo.yaml, demo.state.json (try: doris-migrate status plans/demo.yaml)`);
    return applied;
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const registerDemo: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('demo')
    .description('see a whole migration on a local sandbox: plan, review and apply (no Doris needed)')
    .action(() => done(runDemo(io, signalController(io).signal)));
};
