// The promise of apply: kill it at any instant, run it again, and it carries on as if nothing
// happened. The real CLI runs as a child process and is SIGKILLed at 25 seeded random instants;
// before every fourth run the local state file is deleted too (a fresh checkout, another
// machine): the run's record in the repository carries it over.
// The simulated clusters run in a child process of their own (support/fe-pair-child.ts) and die
// too: in every third run they are SIGKILLed while apply runs on (it rides out their restart), and
// in every sixth together with apply. They start again on their data directories and ports, their
// jobs back in the last state Doris logs (sandbox/jobs/recover.ts). The repository (s3rver) stays
// up, as a real object store does when an FE dies.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { journalPath } from '../../src/run/journal.js';
import { Persistence } from '../../src/sandbox/persist.js';
import { startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { exitOf, firstLine, spawnCli, TSX_LOADER } from '../support/cli.js';
import type { FePairReady, FePairRequest } from '../support/fe-pair-child.js';
import { captureIO } from '../support/io.js';
import { MIGRATION_SECRET } from '../support/migration.js';
import { DEMO_SQL } from '../support/simulator.js';

/** Every wait on a child has this bound (generous: a busy 2-core machine starts tsx slowly). */
const START_BOUND_MS = 60_000;

function bounded<T>(p: Promise<T>, what: string, ms = START_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)));
  return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

/** The source and target FEs in their own process. */
class Fes {
  child!: ChildProcessWithoutNullStreams;
  ports: { source: number; target: number } | undefined;
  /** Jobs the restarts found between two logged states and put back (sandbox/jobs/recover.ts). */
  recovered = 0;
  constructor(private readonly dir: string, private readonly timeScale: number) {}

  async start(seedSql?: string): Promise<void> {
    const req: FePairRequest = { dir: this.dir, timeScale: this.timeScale, ...(seedSql ? { seedSql } : {}), ...(this.ports ? { ports: this.ports } : {}) };
    this.child = spawn(process.execPath, ['--import', TSX_LOADER, join(import.meta.dirname, '..', 'support', 'fe-pair-child.ts'), JSON.stringify(req)]);
    // The "listening" line is the readiness signal; the ports must be the same after a restart.
    const ready = JSON.parse(await bounded(firstLine(this.child), 'the simulated clusters did not start')) as FePairReady;
    if (this.ports && (ready.source !== this.ports.source || ready.target !== this.ports.target)) throw new Error(`the clusters came back on other ports: ${JSON.stringify(ready)}`);
    this.ports = { source: ready.source, target: ready.target };
    this.recovered += ready.recovered;
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await bounded(exitOf(this.child), 'the simulated clusters did not die');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await bounded(exitOf(this.child), 'the simulated clusters did not stop');
  }

  async query(side: 'source' | 'target', sql: string): Promise<Record<string, string | null>[]> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.ports![side], user: 'root', password: '' });
    try {
      return (await c.query(sql))[0] as Record<string, string | null>[];
    } finally {
      await c.end();
    }
  }
}

let dir: string;
let s3: S3Server;
let fes: Fes;
const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: MIGRATION_SECRET, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dm-crash-'));
  s3 = await startS3Server({ directory: join(dir, 's3'), buckets: ['doris-migrate'] });
  // Slow enough that the migration spans all 25 kills (jobs keep running while apply is dead).
  fes = new Fes(join(dir, 'fes'), 12);
  await fes.start(DEMO_SQL);
  const io = captureIO({ cwd: dir, env });
  const code = await main([
    'plan', '--source', `mysql://root@127.0.0.1:${fes.ports!.source}`, '--target', `mysql://root@127.0.0.1:${fes.ports!.target}`,
    '--repository', 's3://doris-migrate/apply', '--s3-endpoint', s3.endpoint, '--replication-num', '1', '--name', 'mig', '--concurrency', '2', '--no-interactive',
  ], io);
  if (code !== 0) throw new Error(`plan failed: ${io.err()}`);
});
afterAll(async () => {
  await fes?.stop().catch(() => undefined);
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A small deterministic generator, so a failing run can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
}

/** Every migrated table's rows as the cluster's data directory holds them (after a clean stop). */
function tableContents(side: 'source' | 'target'): Record<string, string> {
  const world = new Persistence(join(dir, 'fes', side), () => { throw new Error('read only'); }).load()!.world;
  const out: Record<string, string> = {};
  for (const [db, table] of [['sales', 'orders'], ['sales', 'customers'], ['sales', 'order_items'], ['analytics', 'events'], ['analytics', 'region_sales'], ['ops', 'heartbeat'], ['crm-eu', 'Kunden-Ä']] as const) {
    const t = world.databases[db]?.tables[table];
    out[`${db}.${table}`] = t ? JSON.stringify(t.partitions.map((p) => [p.name, [...p.rows].map((r) => JSON.stringify(r)).sort()])) : 'missing';
  }
  return out;
}

describe('apply under SIGKILL', () => {
  it('resumes after 25 kills at random instants, kills of the clusters and lost state files: same target, every job submitted once, state always readable', async () => {
    const random = lcg(20261124);
    const statePath = join(dir, 'plans', 'mig.state.json');
    const unfinished = (): boolean => existsSync(statePath) && !Object.values(fileCheckpoint(statePath).load()!.steps).every((s) => s.status === 'done');
    let killsMidRun = 0;
    let clusterKills = 0;
    let clusterKillsMidRun = 0;
    // The clusters' clocks stand still while a child starts up, so a slow start on a busy machine
    // does not let the jobs run ahead of the kills (the kill instants stay spread over the run).
    // That includes their own restarts: a restarted cluster's clock counts the time it was down
    // (sandbox/clock.ts) unless it was paused (a pause is written before its reply).
    const clocks = (verb: 'PAUSE' | 'RESUME') => Promise.all([fes.query('source', `ADMIN SIM ${verb} CLOCK`), fes.query('target', `ADMIN SIM ${verb} CLOCK`)]);
    const killClusters = async () => {
      if (unfinished()) clusterKillsMidRun++;
      clusterKills++;
      await clocks('PAUSE');
      await fes.kill();
      await fes.start();
      await clocks('RESUME');
    };
    let deleted = 0;
    for (let i = 0; i < 25; i++) {
      if (i % 4 === 3 && existsSync(statePath)) {
        // The whole local state: its snapshot and its journal.
        rmSync(statePath);
        rmSync(journalPath(statePath), { force: true });
        deleted++;
      }
      await clocks('PAUSE');
      const child = spawnCli(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'], { cwd: dir, env });
      const exited = exitOf(child).then(() => false);
      await bounded(Promise.race([new Promise<void>((r) => child.stdout.once('data', () => r())), exited]), 'apply did not start');
      await clocks('RESUME');
      const wait = () => Promise.race([new Promise<boolean>((r) => setTimeout(() => r(true), 200 + Math.floor(random() * 1200))), exited]);
      let killed = await wait();
      if (i % 3 === 1) {
        // The clusters die under a running apply, which waits for them to come back.
        await killClusters();
        killed = await wait();
      }
      if (killed) {
        child.kill('SIGKILL');
        await exitOf(child);
        if (unfinished()) killsMidRun++;
      }
      // Both die at once: the next apply finds the clusters freshly restarted.
      if (i % 6 === 5) await killClusters();
    }
    const last = spawnCli(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'], { cwd: dir, env });
    let out = '';
    last.stdout.on('data', (d: Buffer) => (out += d.toString()));
    last.stderr.on('data', (d: Buffer) => (out += d.toString()));
    expect(await exitOf(last), out).toBe(0);

    expect(killsMidRun, 'kills of apply that landed before the migration was done').toBeGreaterThanOrEqual(18);
    expect(clusterKills, 'kills of the clusters').toBe(12);
    expect(clusterKillsMidRun, 'kills of the clusters before the migration was done').toBeGreaterThanOrEqual(8);
    expect(fes.recovered, 'jobs the clusters\' restarts found between two logged states and put back').toBeGreaterThanOrEqual(3);
    expect(deleted, 'state files deleted between runs').toBeGreaterThanOrEqual(5);
    const state = fileCheckpoint(statePath).load()!;
    expect(Object.values(state.steps).every((s) => s.status === 'done')).toBe(true);
    // The clusters' job history is kept in their data directories, so it spans every restart.
    const submitted = async (side: 'source' | 'target') => (await fes.query(side, 'ADMIN SIM SHOW JOB HISTORY')).filter((h) => h.Outcome === 'submitted');
    const backups = await submitted('source');
    const restores = await submitted('target');
    for (const [label, count] of countBy(backups.filter((h) => h.Statement === 'BACKUP').map((h) => h.Label!))) expect(count, label).toBe(1);
    for (const [key, count] of countBy(restores.filter((h) => h.Statement === 'RESTORE').map((h) => `${h.DbName}.${h.Label}`))) expect(count, key).toBe(1);
    expect(backups).toHaveLength(4);
    expect(restores).toHaveLength(4);
    await fes.stop();
    expect(tableContents('target')).toEqual(tableContents('source'));
  }, 300_000);
});

function countBy(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
