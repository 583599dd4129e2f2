// What a scenario works with: the cluster pair and a scratch directory where the real CLI plans,
// applies and verifies (in-process through main(), or as a child process when it must be killed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { Plan } from '../../src/plan/schema.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import type { RunState } from '../../src/run/state-model.js';
import { spawnCli } from '../support/cli.js';
import { captureIO } from '../support/io.js';
import type { ClusterPair, Row, Side } from './pair.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface Scenario {
  /** Kebab-case, unique: both suites name their tests by it. */
  name: string;
  /** What it proves, one line. */
  proves: string;
  /** Set when only the simulator can run it, saying why (e.g. a fault injected with ADMIN SIM). */
  simulatorOnly?: string;
  /** Every database it creates, on either side: dropped before it runs on a shared cluster. */
  databases: string[];
  run(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioContext {
  pair: ClusterPair;
  /** Scratch directory: plans/ lands here. */
  dir: string;
  /** Unique per run: the repository directory and name, so labels never collide across runs. */
  tag: string;
  cli(argv: string[]): Promise<CliRun>;
  /** `plan --name <name>` with the pair's clusters and repository and `--no-interactive`. */
  plan(name: string, flags?: string[]): Promise<CliRun>;
  apply(name: string, flags?: string[]): Promise<CliRun>;
  verify(name: string, flags?: string[]): Promise<CliRun>;
  /** `apply` as a child process (to be killed). */
  spawnApply(name: string): ChildProcessWithoutNullStreams;
  state(name: string): RunState;
  /** The plan file `plan` wrote. */
  readPlan(name: string): Plan;
  query(side: Side, sql: string): Promise<Row[]>;
}

/** How often apply polls: the simulator runs fast; real Doris moves a job one state per ~3 s. */
const pollInterval = (pair: ClusterPair) => (pair.kind === 'simulator' ? '0.05' : '1');

export async function runScenario(pair: ClusterPair, scenario: Scenario): Promise<void> {
  await pair.reset(scenario.databases);
  const dir = mkdtempSync(join(tmpdir(), `dm-${scenario.name}-`));
  const tag = `${scenario.name.replace(/-/g, '_')}_${Date.now().toString(36)}`;
  const env: Record<string, string> = { ...pair.repository.env, DORIS_SOURCE_PASSWORD: pair.source.password, DORIS_TARGET_PASSWORD: pair.target.password };
  const cli = async (argv: string[]): Promise<CliRun> => {
    const io = captureIO({ cwd: dir, env });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  const url = (e: ClusterPair['source']) => `mysql://${encodeURIComponent(e.user)}@${e.host}:${e.port}`;
  const applyArgs = (name: string, flags: string[]) => ['apply', `plans/${name}.yaml`, '--yes', '--poll-interval', pollInterval(pair), ...flags];
  const ctx: ScenarioContext = {
    pair,
    dir,
    tag,
    cli,
    plan: (name, flags = []) =>
      cli([
        'plan', '--source', url(pair.source), '--target', url(pair.target),
        '--repository', `${pair.repository.base}/${tag}`, '--repository-name', `dm_${tag}`, ...pair.repository.flags,
        '--replication-num', String(pair.replicationNum), '--name', name, '--no-interactive', ...flags,
      ]),
    apply: (name, flags = []) => cli(applyArgs(name, flags)),
    verify: (name, flags = []) => cli(['verify', `plans/${name}.yaml`, ...flags]),
    spawnApply: (name) => spawnCli(applyArgs(name, []), { cwd: dir, env }),
    readPlan: (name) => readPlanFile(join(dir, 'plans', `${name}.yaml`)),
    // Snapshot + journal, as apply reads them.
    state: (name) => fileCheckpoint(join(dir, 'plans', `${name}.state.json`)).load()!,
    query: (side, sql) => pair.query(side, sql),
  };
  try {
    await scenario.run(ctx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `plan`, which must succeed (its error is the failure message otherwise). */
export async function planned(ctx: ScenarioContext, name: string, flags: string[] = []): Promise<void> {
  const r = await ctx.plan(name, flags);
  expect(r.code, r.err).toBe(0);
}

/** `SELECT COUNT(*)` of one table on one side. */
export async function rowCount(ctx: ScenarioContext, side: Side, table: string): Promise<number> {
  const [row] = await ctx.query(side, `SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n);
}

/** SHOW CREATE TABLE text of one table on one side. */
export async function createTable(ctx: ScenarioContext, side: Side, table: string): Promise<string> {
  const [row] = await ctx.query(side, `SHOW CREATE TABLE ${table}`);
  const text = row?.['Create Table'];
  return typeof text === 'string' ? text : '';
}
