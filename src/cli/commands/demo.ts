// `doris-migrate demo`: the whole flow on the local sandbox — two simulated clusters and an
// S3-compatible server with a realistic catalog — planned, reviewed, applied with live progress
// (follow-ups included), verified partition by partition. Leaves the plan, its state and the
// report in plans/ for the user to open.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { positiveInt } from '../flags.js';
import { writeLine, type CliIO } from '../io.js';
import type { CommandRegistrar } from './index.js';
import { runPlan } from './plan.js';
import { runReview } from './review.js';
import { runApply } from './apply.js';
import { signalController } from '../interrupt.js';
import { helpAfter } from '../help.js';

const DEMO_SEED = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'catalogs', 'demo.sql');

export interface DemoOptions {
  /** Kill the first apply (SIGKILL) once this many steps have finished, then resume. */
  interruptAt?: number;
}

export async function runDemo(io: CliIO, signal: AbortSignal, options: DemoOptions = {}): Promise<number> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { startSandbox } = await import('../../sandbox/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'doris-migrate-demo-'));
  // Each demo is a new migration: forget the previous demo's state.
  for (const f of ['demo.state.json', 'demo.state.journal', 'demo.lock', 'demo.log']) rmSync(join(io.cwd, 'plans', f), { force: true });
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
    if (options.interruptAt !== undefined) {
      writeLine(io.stdout, `\n== 4. apply in a child process, killed with SIGKILL once ${options.interruptAt} step(s) have finished (a crash, a lost laptop lid)`);
      await applyUntilKilled(options.interruptAt, demoIO);
      writeLine(io.stdout, `   the state file says: ${await stateSummary(join(io.cwd, 'plans', 'demo.state.json'))}`);
      writeLine(io.stdout, '\n== 5. apply again: running jobs are adopted, finished ones kept, nothing is submitted twice');
    } else writeLine(io.stdout, '\n== 4. apply');
    const applied = await runApply('plans/demo.yaml', { yes: true, pollInterval: '0.2' }, demoIO, signal);
    if (options.interruptAt !== undefined) {
      const submitted = [...sandbox.source.jobs.history(), ...sandbox.target.jobs.history()].filter((h) => h.outcome === 'submitted');
      const labels = new Set(submitted.map((h) => `${h.statement} ${h.db}.${h.label}`));
      writeLine(io.stdout, `   the clusters received ${submitted.length} BACKUP/RESTORE submissions for ${labels.size} distinct jobs${submitted.length === labels.size ? ': none twice' : ''}`);
    }
    let step = options.interruptAt !== undefined ? 6 : 5;
    let verified: number = ExitCode.Ok;
    if (applied === ExitCode.Ok) {
      // apply's own check counts rows per table; the full level counts them per partition and
      // puts its result in the report.
      writeLine(io.stdout, `\n== ${step++}. verify --level full (every table and partition, source against target)`);
      const { runVerify } = await import('./verify.js');
      verified = await runVerify('plans/demo.yaml', { level: 'full' }, demoIO);
    }
    writeLine(io.stdout, `\n== ${step}. In ${join(io.cwd, 'plans')}: demo.yaml (the plan), demo.state.json and demo.state.journal (the state), demo.log (every event, as JSON lines), demo.report.md and demo.report.json (the report)`);
    writeLine(io.stdout, `   open the report: ${join(io.cwd, 'plans', 'demo.report.md')}`);
    writeLine(io.stdout, '   try: doris-migrate status plans/demo.yaml; doris-migrate review plans/demo.yaml --format sql');
    return applied === ExitCode.Ok ? verified : applied;
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs `apply` as a child process and kills it with SIGKILL once `steps` steps have finished. */
async function applyUntilKilled(steps: number, io: CliIO): Promise<void> {
  const { spawnSelf } = await import('../self-process.js');
  const child = spawnSelf(['apply', 'plans/demo.yaml', '--yes', '--poll-interval', '0.2'], { cwd: io.cwd, env: { ...io.env, CI: '1' } });
  let finished = 0;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (finished >= steps) return;
      writeLine(io.stdout, `   | ${line}`);
      if (/^\S+ done {3}\S/.test(line) && ++finished === steps) {
        child.kill('SIGKILL');
        writeLine(io.stdout, `   killed (SIGKILL) after ${finished} finished step(s)`);
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (finished < steps) writeLine(io.stdout, `   the first apply ended (exit ${code}) before ${steps} steps finished: nothing to interrupt`);
}

/** `7 done, 2 running (backup:sales:1 as dm..._a1), 10 pending`, from the state file. */
async function stateSummary(path: string): Promise<string> {
  const { fileCheckpoint } = await import('../../run/checkpoint.js');
  const state = fileCheckpoint(path).load();
  if (!state) return 'nothing yet';
  const entries = Object.entries(state.steps);
  const by = (status: string) => entries.filter(([, s]) => s.status === status);
  const live = [...by('running'), ...by('submitting')];
  return `${by('done').length} done, ${live.length} in flight${live.length ? ` (${live.map(([id, s]) => `${id}${s.label ? ` as ${s.label}` : ''}`).join(', ')})` : ''}, ${by('pending').length} pending`;
}

export const registerDemo: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('demo')
    .description('see a whole migration on a local sandbox: plan, review, apply, follow-ups, verify and the report (no Doris needed)')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate demo'],
      env: [],
      exits: ['0  migrated and verified', '1  a step failed', '5  verification found differences'],
    }))
    .option('--interrupt-at <steps>', 'kill the first apply (SIGKILL) once this many steps have finished, then resume it')
    .action((flags: { interruptAt?: string }) =>
      done(
        (async () => {
          const interruptAt = positiveInt(flags.interruptAt, '--interrupt-at');
          return runDemo(io, signalController(io).signal, interruptAt === undefined ? {} : { interruptAt });
        })(),
      ),
    );
};
