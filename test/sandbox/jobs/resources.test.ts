// The simulator's resource model: upload and download worker pools shared by a cluster's jobs,
// per-tablet costs, and a bandwidth cap per repository. Booking is checked as a pure function,
// then through real statements on a simulator whose clock the test moves by hand.
import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { jobsState, type Job } from '../../../src/sandbox/jobs/model.js';
import { bookTransfer, resourceSettings, tabletsOf } from '../../../src/sandbox/jobs/resources.js';
import { snapshotTimestamp } from '../../support/jobs.js';
import { failure, testSimulator, type TestSim } from '../../support/simulator.js';

const MB = 1024 * 1024;

describe('bookTransfer', () => {
  const base = { now: 0, bytes: 3000 * MB, tablets: 3, backends: 3, workers: 1, speed: 100 * MB, busy: [], minMs: 3000, batching: { snapshotsPerTask: 10 } };

  it('spreads a job over the backends its tablets sit on', () => {
    expect(bookTransfer(base)).toMatchObject({ start: 0, end: 10_000 });
    // One tablet lives on one backend: it moves at one worker's speed.
    expect(bookTransfer({ ...base, tablets: 1 }).end).toBe(30_000);
  });

  it('queues a job behind the tasks other jobs hold on the same workers', () => {
    const first = bookTransfer(base);
    const second = bookTransfer({ ...base, busy: first.slots });
    expect(second).toMatchObject({ start: 10_000, end: 20_000 });
    // A second worker per backend lets both run at once.
    expect(bookTransfer({ ...base, workers: 2, busy: first.slots })).toMatchObject({ start: 0, end: 10_000 });
  });

  it('runs a job with many tablets on every worker of a backend', () => {
    // 60 tablets on 3 backends: 20 each, two tasks of 10 snapshots, one per worker.
    expect(bookTransfer({ ...base, tablets: 60, workers: 2 }).end).toBe(5_000);
    expect(bookTransfer({ ...base, tablets: 60, workers: 1 }).end).toBe(10_000);
    // Before 2.1.7 a backend cuts its snapshots into at most 3 tasks: 3 workers take one each.
    expect(bookTransfer({ ...base, tablets: 60, workers: 3, batching: { tasksPerBackend: 3 } }).end).toBe(3_334);
    expect(bookTransfer({ ...base, tablets: 60, workers: 3 }).end).toBe(5_000);
  });

  it('slows every worker to its share of a repository cap', () => {
    // 150 MB/s over 3 backends x 1 worker: 50 MB/s each instead of 100.
    expect(bookTransfer({ ...base, cap: 150 * MB }).end).toBe(20_000);
    expect(bookTransfer({ ...base, cap: 10_000 * MB }).end).toBe(10_000);
  });

  it('lasts at least one tick', () => {
    expect(bookTransfer({ ...base, bytes: 1 }).end).toBe(3000);
  });
});

describe('resourceSettings', () => {
  it("takes Doris's BE config names and the simulator's own, and refuses others", () => {
    expect(resourceSettings({ upload_worker_count: '2', 'sim.transfers': 'independent', 'sim.commit_ms_per_tablet': '0' })).toEqual({ uploadWorkers: 2, transfers: 'independent', commitMsPerTablet: 0 });
    expect(() => resourceSettings({ upload_worker_count: '0' })).toThrow(/Invalid value '0'/);
    expect(() => resourceSettings({ 'sim.transfers': 'fast' })).toThrow(/shared' or 'independent/);
    expect(() => resourceSettings({ max_threads: '4' })).toThrow(/Unknown backend config 'max_threads'/);
  });
});

// Two databases of 3 GB each, 3 buckets: 10 simulated s per job alone at 100 MB/s on 3 backends.
const SEED = ['a', 'b']
  .map((db) => `CREATE DATABASE ${db}; CREATE TABLE ${db}.t (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3 PROPERTIES ("replication_num" = "1", "sim.data_bytes" = "${3000 * MB}");`)
  .join('\n');

let sim: TestSim | undefined;
afterEach(async () => {
  await sim?.dispose();
  sim = undefined;
});

/** Waits (bounded, real time) until the runner has moved the jobs so that `done` holds. */
async function until(s: TestSim, done: (jobs: Job[]) => boolean): Promise<Job[]> {
  const bound = Date.now() + 10_000;
  for (;;) {
    const jobs = jobsState(s.engine.world).jobs;
    if (done(jobs)) return jobs;
    if (Date.now() > bound) throw new Error(`jobs did not get there: ${JSON.stringify(jobs.map((j) => [j.db, j.state]))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts a paused simulator with a repository and submits one backup per database at the same instant. */
async function twoBackups(config?: string): Promise<{ c: mysql.Connection; jobs: Job[] }> {
  sim = await testSimulator({ version: '2.1', seedSql: SEED, speedBytesPerSecond: 100 * MB });
  const c = await sim.connect();
  await c.query('CREATE REPOSITORY r WITH HDFS ON LOCATION "hdfs://nn:8020/r" PROPERTIES ("fs.defaultFS" = "hdfs://nn:8020")');
  if (config) await c.query(config);
  await c.query('ADMIN SIM PAUSE CLOCK');
  for (const db of ['a', 'b']) await c.query(`BACKUP SNAPSHOT ${db}.s1 TO r ON (t)`);
  // Each 4 s advance lets every job take one step: PENDING, SNAPSHOTING, UPLOAD_SNAPSHOT, UPLOADING.
  for (const state of ['SNAPSHOTING', 'UPLOAD_SNAPSHOT', 'UPLOADING']) {
    await c.query('ADMIN SIM ADVANCE CLOCK 4');
    await until(sim, (jobs) => jobs.every((j) => j.state === state));
  }
  return { c, jobs: jobsState(sim.engine.world).jobs };
}

const window = (j: Job) => ({ start: j.transfer!.start, ms: j.transfer!.end - j.transfer!.start });

describe('jobs on one cluster', () => {
  it('share one upload worker per backend by default: the second upload waits for the first', async () => {
    const { c, jobs } = await twoBackups();
    const [a, b] = jobs.map(window);
    expect(a!.ms).toBe(10_000);
    expect(b).toEqual({ start: a!.start + 10_000, ms: 10_000 });
    await c.end();
  });

  it('run side by side with two upload workers, or with independent transfers', async () => {
    for (const config of ['ADMIN SIM SET BACKEND CONFIG ("upload_worker_count" = "2")', 'ADMIN SIM SET BACKEND CONFIG ("sim.transfers" = "independent")']) {
      const { c, jobs } = await twoBackups(config);
      const [a, b] = jobs.map(window);
      expect(b).toEqual(a);
      expect(a!.ms).toBe(10_000);
      await c.end();
      await sim!.dispose();
      sim = undefined;
    }
  });

  it('move no faster than a bandwidth cap on the repository allows', async () => {
    const { c, jobs } = await twoBackups('ADMIN SIM SET REPOSITORY r BANDWIDTH 157286400');
    // 150 MB/s shared by 3 backends: 50 MB/s per worker, so 20 s each, one after the other.
    const [a, b] = jobs.map(window);
    expect(a!.ms).toBe(20_000);
    expect(b).toEqual({ start: a!.start + 20_000, ms: 20_000 });
    expect((await failure(c, 'ADMIN SIM SET REPOSITORY nope BANDWIDTH 1')).message).toContain('Repository nope does not exist');
    await c.end();
  });

  it('pay a fixed cost per tablet to snapshot, create replicas and commit', async () => {
    sim = await testSimulator({ version: '2.1', seedSql: SEED, resources: { snapshotMsPerTablet: 3000 } });
    const c = await sim.connect();
    await c.query('CREATE REPOSITORY r WITH HDFS ON LOCATION "hdfs://nn:8020/r" PROPERTIES ("fs.defaultFS" = "hdfs://nn:8020")');
    await c.query('ADMIN SIM PAUSE CLOCK');
    await c.query('BACKUP SNAPSHOT a.s1 TO r ON (t)');
    await c.query('ADMIN SIM ADVANCE CLOCK 4');
    const [job] = await until(sim, (jobs) => jobs[0]!.state === 'SNAPSHOTING');
    expect(job!.tablets).toBe(tabletsOf(sim.engine.world.databases.a!.tables.t!));
    // 3 tablets x 3 s over 3 backends on top of the 3 s tick.
    expect(job!.nextAt - sim.engine.clock.now()).toBe(3000 + 3000);
    expect((await failure(c, 'ADMIN SIM SET BACKEND CONFIG ("sim.commit_ms_per_tablet" = "-1")')).message).toContain("Invalid value '-1'");

    // The restore of that snapshot: replicas (3 tablets x 2 replicas) and commit cost too.
    for (let i = 0; i < 20 && jobsState(sim.engine.world).jobs[0]!.state !== 'FINISHED'; i++) {
      const at = jobsState(sim.engine.world).jobs[0]!.state;
      await c.query('ADMIN SIM ADVANCE CLOCK 15');
      await until(sim, (jobs) => jobs[0]!.state !== at);
    }
    const timestamp = await snapshotTimestamp(c, 'r', 's1');
    await c.query('ADMIN SIM SET ALIVE BACKENDS 3');
    await c.query('ADMIN SIM SET BACKEND CONFIG ("sim.snapshot_ms_per_tablet" = "0", "sim.create_ms_per_replica" = "3000", "sim.commit_ms_per_tablet" = "6000")');
    await c.query('CREATE DATABASE c');
    await c.query(`RESTORE SNAPSHOT c.s1 FROM r ON (t) PROPERTIES ("backup_timestamp" = "${timestamp}", "replication_num" = "2")`);
    await c.query('ADMIN SIM ADVANCE CLOCK 4');
    const [, restore] = await until(sim, (jobs) => jobs[1]?.state === 'SNAPSHOTING');
    // 2.1.0 creates the replicas within PENDING: 6 replicas x 3 s over 3 backends.
    expect(restore!.nextAt - sim.engine.clock.now()).toBe(3000 + 6000);
    for (let i = 0; i < 10 && restore!.state !== 'COMMITTING'; i++) {
      const at = restore!.state;
      await c.query('ADMIN SIM ADVANCE CLOCK 15');
      await until(sim, (jobs) => jobs[1]!.state !== at);
    }
    expect(restore!.state).toBe('COMMITTING');
    // 3 tablets x 6 s over 3 backends.
    expect(restore!.nextAt - sim.engine.clock.now()).toBe(3000 + 6000);
    await c.end();
  });
});
