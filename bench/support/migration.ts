// What the apply benchmarks share: a sandbox (two simulators, s3rver) seeded with a catalog, a
// plan written by the real `plan` command, and the real applyPlan run against it in the
// simulators' scaled time (its polls sleep simulated seconds; its clock is the simulator's).
import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { connect } from '../../src/doris/connection.js';
import type { DorisClient } from '../../src/doris/client.js';
import type { Plan } from '../../src/plan/schema.js';
import { fileCheckpoint, type CheckpointStore } from '../../src/run/checkpoint.js';
import type { RunEvent, RunResult } from '../../src/run/events.js';
import { applyPlan } from '../../src/run/executor.js';
import type { RunState } from '../../src/run/state-model.js';
import { startSandbox, type Sandbox, type Simulator } from '../../src/sandbox/index.js';
import { jobsState, type Job } from '../../src/sandbox/jobs/model.js';
import type { ResourceConfig } from '../../src/sandbox/jobs/resources.js';
import { openRepository } from '../../src/storage/backend.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { captureIO } from '../../test/support/io.js';

export interface BenchMigration {
  dir: string;
  sandbox: Sandbox;
  plan: Plan;
  timeScale: number;
  /** Simulated epoch ms (the source simulator's clock; both run at the same scale). */
  simNow(): number;
  /** Runs applyPlan once; events carry the simulated time they were seen at. */
  apply(opts?: { pollIntervalMs?: number; onReply?: ReplyTrace; checkpoint?: CheckpointStore; initial?: RunState; signal?: AbortSignal; plan?: Plan }): Promise<{ result: RunResult; state: RunState; events: { at: number; e: RunEvent }[]; clients: DorisClient[] }>;
  /** Every BACKUP/RESTORE job the simulators ran: simulated start and end, and its transfer (`moved`). */
  jobs(): { cluster: 'source' | 'target'; db: string; label: string; state: string; start: number; end: number; bytes: number; moved: Job['moved'] }[];
  /** Simulated ms each of apply's sleeps lasted beyond what it asked (real timers firing late, times the scale). */
  sleepOverruns(): number[];
  dispose(): Promise<void>;
}

/** Real ms spent per kind of statement (its first two words), across both clusters. */
export const realMs = new Map<string, { n: number; ms: number }>();

/** What a statement's reply showed, at the simulated time it arrived. */
export type ReplyTrace = (sql: string, rows: unknown, at: number) => void;

/** The real client, timing each statement into `into` (and telling `onReply` what came back). */
function timed(inner: DorisClient, into: typeof realMs, onReply?: (sql: string, rows: unknown) => void): DorisClient {
  return {
    address: inner.address,
    get roundTrips() {
      return inner.roundTrips;
    },
    async query(sql) {
      const t0 = performance.now();
      try {
        const rows = await inner.query(sql);
        onReply?.(sql, rows);
        return rows;
      } finally {
        const kind = sql.split(/\s+/).slice(0, 2).join(' ');
        const entry = into.get(kind) ?? { n: 0, ms: 0 };
        entry.n++;
        entry.ms += performance.now() - t0;
        into.set(kind, entry);
      }
    },
    close: () => inner.close(),
  };
}

/** A signal many concurrent polls may listen to (as the CLI's is). */
function unbounded(): AbortSignal {
  const { signal } = new AbortController();
  setMaxListeners(0, signal);
  return signal;
}

export interface BenchMigrationOptions {
  seedSql: string;
  timeScale: number;
  speedBytesPerSecond?: number;
  /** The simulators' resource model (default: Doris's, one upload and one download worker per backend). */
  resources?: Partial<ResourceConfig>;
  concurrency: number;
  batchSize: string;
  /** Extra `plan` flags. */
  planFlags?: string[];
  /**
   * `hdfs` keeps snapshots in a local directory (the simulator's HDFS stand-in): far cheaper
   * listings than s3rver when thousands of snapshots pile up; apply then has no repository
   * backend to check snapshot files with, as with HDFS without --webhdfs. Default `s3`.
   */
  repository?: 's3' | 'hdfs';
}

export async function benchMigration(opts: BenchMigrationOptions): Promise<BenchMigration> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-bench-apply-'));
  if (opts.repository === 'hdfs') {
    // Each simulator keeps "HDFS" under its own data dir: one directory for both, as one HDFS.
    mkdirSync(join(dir, 'sandbox', 'source', 'hdfs'), { recursive: true });
    mkdirSync(join(dir, 'sandbox', 'target'), { recursive: true });
    symlinkSync(join(dir, 'sandbox', 'source', 'hdfs'), join(dir, 'sandbox', 'target', 'hdfs'));
  }
  const sandbox = await startSandbox({ dataDir: join(dir, 'sandbox'), seedSql: opts.seedSql, azure: false, timeScale: opts.timeScale, ...(opts.speedBytesPerSecond ? { speedBytesPerSecond: opts.speedBytesPerSecond } : {}), ...(opts.resources ? { resources: opts.resources } : {}) });
  try {
    const env = { AWS_ACCESS_KEY_ID: sandbox.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.s3.secretAccessKey, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' };
    const io = captureIO({ cwd: dir, env });
    const code = await main([
      'plan', '--source', `mysql://root@127.0.0.1:${sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${sandbox.target.port}`,
      ...(opts.repository === 'hdfs' ? ['--repository', 'hdfs://nn:8020/bench'] : ['--repository', 's3://doris-migrate/bench', '--s3-endpoint', sandbox.s3.endpoint]),
      '--replication-num', '1', '--name', 'bench',
      '--concurrency', String(opts.concurrency), '--batch-size', opts.batchSize, '--no-interactive', ...(opts.planFlags ?? []),
    ], io);
    if (code !== 0) throw new Error(`plan failed (${code}): ${io.err()}`);
    const planFile = join(dir, 'plans', 'bench.yaml');
    const plan = readPlanFile(planFile);
    const simNow = (): number => sandbox.source.engine.clock.now();
    const overruns: number[] = [];
    const scaledSleep = (ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((done) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          done();
        };
        const from = simNow();
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          overruns.push(simNow() - from - ms);
          done();
        }, ms / opts.timeScale);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    const jobsOf = (sim: Simulator, cluster: 'source' | 'target') =>
      jobsState(sim.engine.world).jobs.map((j) => ({ cluster, db: j.db, label: j.label, state: j.state, start: j.createTime, end: j.finishedTime ?? Number.NaN, bytes: j.bytes, moved: j.moved }));
    return {
      dir, sandbox, plan, timeScale: opts.timeScale, simNow,
      async apply(run = {}) {
        const secrets = readCredentials(plan.repository.settings, env);
        const repository = plan.repository.settings.backend === 's3' ? await openRepository(plan.repository.settings, secrets) : undefined;
        const open = (sim: Simulator) => connect({ host: sim.host, port: sim.port, user: 'root', password: '' });
        const traced = run.onReply ? (sql: string, rows: unknown): void => run.onReply!(sql, rows, simNow()) : undefined;
        const clients = [timed(open(sandbox.source), realMs, traced), timed(open(sandbox.target), realMs, traced)];
        const events: { at: number; e: RunEvent }[] = [];
        try {
          // Another plan of the same sandbox (a catch-up) keeps its state beside it, as the CLI does.
          const which = run.plan ?? plan;
          const out = await applyPlan(which, {
            source: clients[0]!, target: clients[1]!, ...(repository ? { repository } : {}), secrets,
            checkpoint: run.checkpoint ?? fileCheckpoint(join(dir, 'plans', `${which.name}.state.json`)),
            emit: (e) => events.push({ at: simNow(), e }),
            signal: run.signal ?? unbounded(), now: () => new Date(simNow()), sleep: scaledSleep,
            pollIntervalMs: run.pollIntervalMs ?? 10_000,
          }, run.initial);
          return { ...out, events, clients };
        } finally {
          await Promise.allSettled(clients.map((c) => c.close()));
        }
      },
      jobs: () => [...jobsOf(sandbox.source, 'source'), ...jobsOf(sandbox.target, 'target')],
      sleepOverruns: () => overruns,
      async dispose() {
        await sandbox.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
