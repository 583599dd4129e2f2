// Measures the real `plan` command against a big simulated catalog with the simulators in one
// child process and the planner in another, so each side's time and memory are its own.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CatalogShape } from './bulk-seed.js';
import type { PlanChildRequest, PlanChildResult } from './plan-child.js';
import type { SimChildMessage, SimChildRequest, SimStats } from './sim-child.js';

export interface PlanMeasurement {
  version: string;
  shape: CatalogShape;
  tables: number;
  seedSeconds: number;
  /** The whole `plan` command, as its caller waits for it. */
  planSeconds: number;
  /** From the start of `plan` until the source catalog was read (the target check begins). */
  catalogReadSeconds: number;
  /** CPU the planner process used (its own work, whatever it waited for). */
  plannerCpuSeconds: number;
  plannerPeakRssMiB: number;
  /** Real time the simulators spent answering the planner's statements. */
  simulatorAnswerSeconds: number;
  /** CPU the simulators' process used while the plan ran. */
  simulatorCpuSeconds: number;
  sourceStatements: number;
  targetStatements: number;
  planMiB: number;
  /** Tables the plan left out for their temporary partitions. */
  tempPartitionExclusions: number;
  /** Seconds from the start of `plan` to each of its phases (progress lines). */
  phases: Record<string, number>;
  sourceByKind: Record<string, number>;
}

const here = import.meta.dirname;

function child(file: string, execArgv: string[]): ChildProcess {
  return fork(join(here, file), [], { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
}

function next<T>(c: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench child ${c.pid} exited (${code}) before answering`));
    c.once('exit', onExit);
    c.once('message', (m) => {
      c.off('exit', onExit);
      resolve(m as T);
    });
  });
}

/**
 * One `plan` run at `shape` on `version`. `cpuProfileDir` (or env BENCH_CPU_PROF) writes a
 * V8 CPU profile of the planner there; env BENCH_CPU_PROF_SIM one of the simulators' process.
 */
export async function measurePlan(version: string, shape: CatalogShape, opts: { flags?: string[]; cpuProfileDir?: string } = {}): Promise<PlanMeasurement> {
  const simProfile = process.env.BENCH_CPU_PROF_SIM;
  const sim = child('sim-child.ts', ['--max-old-space-size=8192', ...(simProfile ? ['--cpu-prof', '--cpu-prof-dir', simProfile] : [])]);
  try {
    const ready = next<SimChildMessage & { kind: 'ready' }>(sim);
    sim.send({ version, shape } satisfies SimChildRequest);
    const r = await ready;
    const profile = opts.cpuProfileDir ?? process.env.BENCH_CPU_PROF;
    const planner = child('plan-child.ts', profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []);
    const done = next<PlanChildResult>(planner);
    planner.send({
      argv: [
        '--source', `mysql://root@127.0.0.1:${r.source}`, '--target', `mysql://root@127.0.0.1:${r.target}`,
        '--repository', 's3://doris-migrate/bench', '--s3-endpoint', r.s3.endpoint, '--s3-path-style', '--replication-num', '1',
        '--name', 'bench', '--no-interactive', ...(opts.flags ?? []),
      ],
      env: { AWS_ACCESS_KEY_ID: r.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: r.s3.secretAccessKey, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    } satisfies PlanChildRequest);
    const result = await done;
    if (result.code !== 0) throw new Error(`plan exited ${result.code}: ${result.errorText}`);
    const statsReply = next<SimChildMessage & { kind: 'stats' }>(sim);
    sim.send('stats');
    const stats: SimStats = (await statsReply).stats;
    const phases: Record<string, number> = {};
    for (const { atMs, line } of result.lines) if (!(line in phases)) phases[line.replace(/ at \S+$/, '')] = Number((atMs / 1000).toFixed(2));
    return {
      version, shape, tables: shape.databases * shape.tablesPerDatabase,
      seedSeconds: r.seedMs / 1000,
      planSeconds: result.wallMs / 1000,
      catalogReadSeconds: (result.lines.find((l) => l.line.startsWith('Checking the target'))?.atMs ?? Number.NaN) / 1000,
      plannerCpuSeconds: result.cpuMs / 1000,
      plannerPeakRssMiB: result.peakRssMiB,
      simulatorAnswerSeconds: (stats.sourceAnswerMs + stats.targetAnswerMs) / 1000,
      simulatorCpuSeconds: stats.cpuMs / 1000,
      sourceStatements: stats.sourceStatements,
      targetStatements: stats.targetStatements,
      planMiB: Number((result.planBytes / 2 ** 20).toFixed(1)),
      tempPartitionExclusions: result.tempPartitionExclusions,
      phases,
      sourceByKind: stats.sourceByKind,
    };
  } finally {
    if (sim.connected) sim.send('stop');
    await new Promise((r) => (sim.exitCode !== null ? r(undefined) : sim.once('exit', r)));
  }
}
