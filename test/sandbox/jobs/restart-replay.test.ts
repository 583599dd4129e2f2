// An FE restart in the middle of a BACKUP or RESTORE: the job comes back in the last state Doris
// wrote to its edit log and redoes the work from there (BackupJob.java, RestoreJob.java), with
// its label, history and repository kept.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob } from '../../support/jobs.js';
import { testSimulator, type TestSim } from '../../support/simulator.js';
import { stepTo } from './steps.js';

const SEED = `CREATE DATABASE d;
CREATE TABLE d.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO d.t VALUES (1, 'a'), (11, 'b');`;

let s3: S3Server;
let location: string;
const repo = (readOnly: boolean) => `CREATE ${readOnly ? 'READ ONLY ' : ''}REPOSITORY r WITH S3 ON LOCATION "${location}" ${s3Properties(s3)}`;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  location = `s3://doris-migrate/replay-${process.pid}`;
});
afterAll(() => s3.stop());

/** Stops the simulator (its world as it is at this instant) and starts it again on its data directory. */
async function restart(sim: TestSim, c: mysql.Connection, version: string): Promise<{ sim: TestSim; c: mysql.Connection }> {
  await c.end();
  await sim.stop();
  const again = await testSimulator({ version, dataDir: sim.dataDir, timeScale: 2000 });
  return { sim: again, c: await again.connect() };
}

describe('an FE restart during a job', () => {
  it('a backup comes back in PENDING (new job id) from SNAPSHOTING and in UPLOAD_SNAPSHOT from UPLOADING, then finishes once', async () => {
    let sim = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    let c = await sim.connect();
    const show = 'SHOW BACKUP FROM d WHERE SnapshotName = "b1"';
    try {
      await c.query(repo(false));
      await c.query('ADMIN SIM PAUSE CLOCK');
      await c.query('BACKUP SNAPSHOT d.b1 TO r');
      const first = await stepTo(c, show, 'SNAPSHOTING');
      ({ sim, c } = await restart(sim, c, '2.1'));
      expect((await rowsOf(c, show))[0]).toMatchObject({ State: 'PENDING', JobId: '-1' });
      const redone = await stepTo(c, show, 'SNAPSHOTING');
      expect(Number(redone.JobId)).toBeGreaterThan(Number(first.JobId));
      await stepTo(c, show, 'UPLOADING');
      ({ sim, c } = await restart(sim, c, '2.1'));
      expect((await rowsOf(c, show))[0]).toMatchObject({ State: 'UPLOAD_SNAPSHOT', JobId: redone.JobId, Progress: '' });
      await c.query('ADMIN SIM RESUME CLOCK');
      expect(await waitJob(c, 'BACKUP', 'd')).toMatchObject({ State: 'FINISHED', JobId: redone.JobId });
      expect(sim.jobs.history().map((h) => `${h.statement} ${h.label} ${h.outcome}`)).toEqual(['BACKUP b1 submitted']);
    } finally {
      await c.end();
      await sim.dispose();
    }
  });

  it('a backup that outlives a restart uploads the data as it was at its snapshot, not as it is after the restart', async () => {
    let sim = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    let c = await sim.connect();
    const target = await testSimulator({ version: '2.1', timeScale: 2000 });
    try {
      await c.query(repo(false));
      await c.query('ADMIN SIM PAUSE CLOCK');
      await c.query('BACKUP SNAPSHOT d.point TO r');
      await stepTo(c, 'SHOW BACKUP FROM d', 'UPLOAD_SNAPSHOT');
      // Loads go on during a backup; the snapshot was taken before this one.
      await c.query("INSERT INTO d.t VALUES (21, 'late')");
      ({ sim, c } = await restart(sim, c, '2.1'));
      await c.query('ADMIN SIM RESUME CLOCK');
      expect((await waitJob(c, 'BACKUP', 'd')).State).toBe('FINISHED');
      const t = await target.connect();
      try {
        await t.query(repo(true));
        await t.query('CREATE DATABASE d');
        await t.query(`RESTORE SNAPSHOT d.point FROM r PROPERTIES ("backup_timestamp" = "${await snapshotTimestamp(t, 'r', 'point')}", "replication_num" = "1")`);
        expect((await waitJob(t, 'RESTORE', 'd')).State).toBe('FINISHED');
        expect(await rowsOf(t, 'SELECT * FROM d.t ORDER BY k')).toEqual([{ k: '1', v: 'a' }, { k: '11', v: 'b' }]);
      } finally {
        await t.end();
      }
    } finally {
      await c.end();
      await sim.dispose();
      await target.dispose();
    }
  });

  it('a restore comes back in PENDING from SNAPSHOTING (its new tables gone), in DOWNLOAD from DOWNLOADING and in COMMIT from COMMITTING', async () => {
    const source = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    let sim = await testSimulator({ version: '3.0', timeScale: 2000 });
    let c = await sim.connect();
    try {
      await source.query(repo(false));
      await source.query('BACKUP SNAPSHOT d.base TO r');
      const src = await source.connect();
      expect((await waitJob(src, 'BACKUP', 'd')).State).toBe('FINISHED');
      await src.end();
      await c.query(repo(true));
      await c.query('CREATE DATABASE d');
      const ts = await snapshotTimestamp(c, 'r', 'base');
      await c.query('ADMIN SIM PAUSE CLOCK');
      await c.query(`RESTORE SNAPSHOT d.base FROM r PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1")`);
      const show = 'SHOW RESTORE FROM d';
      const first = await stepTo(c, show, 'SNAPSHOTING');
      expect((await rowsOf(c, 'SHOW TABLES FROM d')).map((r) => r.Tables_in_d)).toEqual(['t']);
      ({ sim, c } = await restart(sim, c, '3.0'));
      expect((await rowsOf(c, show))[0]).toMatchObject({ State: 'PENDING', JobId: '-1' });
      expect(await rowsOf(c, 'SHOW TABLES FROM d')).toEqual([]);
      const redone = await stepTo(c, show, 'DOWNLOADING');
      expect(Number(redone.JobId)).toBeGreaterThan(Number(first.JobId));
      ({ sim, c } = await restart(sim, c, '3.0'));
      expect((await rowsOf(c, show))[0]).toMatchObject({ State: 'DOWNLOAD', JobId: redone.JobId });
      await stepTo(c, show, 'COMMITTING');
      ({ sim, c } = await restart(sim, c, '3.0'));
      expect((await rowsOf(c, show))[0]).toMatchObject({ State: 'COMMIT', JobId: redone.JobId });
      await c.query('ADMIN SIM RESUME CLOCK');
      expect((await waitJob(c, 'RESTORE', 'd')).State).toBe('FINISHED');
      expect(await rowsOf(c, 'SELECT * FROM d.t ORDER BY k')).toEqual([{ k: '1', v: 'a' }, { k: '11', v: 'b' }]);
      expect(sim.jobs.history().map((h) => `${h.statement} ${h.label} ${h.outcome}`)).toEqual(['RESTORE base submitted']);
    } finally {
      await c.end();
      await sim.dispose();
      await source.dispose();
    }
  });
});
