// Backup and restore rules beyond the happy path: labels burned by a failed upload, progress,
// tables created during the restore and removed by a cancel, atomic restore, partition clashes,
// snapshots across versions, and 2.0's restore DbName.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob } from '../../support/jobs.js';
import { failure, testSimulator, type TestSim } from '../../support/simulator.js';
import { stepTo } from './steps.js';

const SEED = `CREATE DATABASE d;
CREATE TABLE d.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");
CREATE TABLE d.u (k INT NOT NULL) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO d.t VALUES (1, 'a'), (11, 'b'), (12, 'c');
INSERT INTO d.u VALUES (7);`;

let s3: S3Server;
let source: TestSim;
let src: mysql.Connection;
let location: string;
const repo = () => `CREATE READ ONLY REPOSITORY r WITH S3 ON LOCATION "${location}" ${s3Properties(s3)}`;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  location = `s3://doris-migrate/rules-${process.pid}`;
  source = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
  src = await source.connect();
  await src.query(repo().replace('READ ONLY ', ''));
  await src.query('BACKUP SNAPSHOT d.base TO r');
  expect((await waitJob(src, 'BACKUP', 'd')).State).toBe('FINISHED');
});
afterAll(async () => {
  await src.end();
  await source.dispose();
  await s3.stop();
});

async function target(version: string): Promise<{ sim: TestSim; c: mysql.Connection; ts: string; close(): Promise<void> }> {
  const sim = await testSimulator({ version, timeScale: 2000 });
  const c = await sim.connect();
  await c.query(repo());
  await c.query('CREATE DATABASE d');
  const ts = await snapshotTimestamp(c, 'r', 'base');
  return { sim, c, ts, close: async () => (await c.end(), await sim.dispose()) };
}

describe('BACKUP', () => {
  it('refuses a duplicated table, and names the table in temp-partition errors from 2.1.8', async () => {
    expect((await failure(src, 'BACKUP SNAPSHOT d.x TO r ON (t, u, t)')).message).toContain('Duplicated table: t');
    expect((await failure(src, 'BACKUP SNAPSHOT d.x TO r ON (t TEMPORARY PARTITION (tp1))')).message).toMatch(/Do not support backup temp partitions$/);
    const newer = await testSimulator({ version: '2.1.8', seedSql: SEED });
    try {
      const c = await newer.connect();
      await c.query(repo().replace('READ ONLY ', ''));
      expect((await failure(c, 'BACKUP SNAPSHOT d.x TO r ON (t TEMPORARY PARTITION (tp1))')).message).toMatch(/Do not support backup temp partitions in table t$/);
      await c.end();
    } finally {
      await newer.dispose();
    }
  });

  it('shows upload progress, and a job failed while uploading keeps its label taken', async () => {
    await src.query('ADMIN SIM PAUSE CLOCK');
    try {
      await src.query("ADMIN SIM FAIL JOB d LABEL 'burnt' AT SAVE_META WITH 'disk full on backend'");
      await src.query('BACKUP SNAPSHOT d.burnt TO r ON (t)');
      const uploading = await stepTo(src, 'SHOW BACKUP FROM d WHERE SnapshotName = "burnt"', 'UPLOADING');
      expect(uploading.Progress).toMatch(/^\[\d+: \d+\/\d+\](, \[\d+: \d+\/\d+\])*$/);
      const failed = await stepTo(src, 'SHOW BACKUP FROM d WHERE SnapshotName = "burnt"', 'CANCELLED');
      expect(failed).toMatchObject({ Status: '[COMMON_ERROR, msg: disk full on backend]', Progress: '' });
    } finally {
      await src.query('ADMIN SIM RESUME CLOCK');
    }
    expect(await rowsOf(src, 'SHOW SNAPSHOT ON r WHERE SNAPSHOT = "burnt"')).toEqual([{ Snapshot: 'burnt', Timestamp: null, Status: 'ERROR: No info file found' }]);
    expect((await failure(src, 'BACKUP SNAPSHOT d.burnt TO r ON (t)')).message).toContain("Snapshot with name 'burnt' already exist in repository");
  });
});

describe('RESTORE', () => {
  it('creates new tables before the data arrives, and a cancel removes them (3.0)', async () => {
    const dst = await target('3.0');
    try {
      await dst.c.query('ADMIN SIM PAUSE CLOCK');
      await dst.c.query(`RESTORE SNAPSHOT d.base FROM r ON (t PARTITION (p2)) PROPERTIES ("backup_timestamp" = "${dst.ts}", "replication_num" = "1")`);
      const [pending] = await rowsOf(dst.c, 'SHOW RESTORE FROM d');
      expect(JSON.parse(pending!.RestoreObjs!)).toMatchObject({ name: 'base', database: 'd', olap_table_list: [{ name: 't', partition_names: ['p2'] }], view_list: [] });
      await stepTo(dst.c, 'SHOW RESTORE FROM d', 'CREATING');
      expect(await dst.sim.query('SHOW TABLES FROM d')).toEqual([]);
      await stepTo(dst.c, 'SHOW RESTORE FROM d', 'SNAPSHOTING');
      expect(await dst.sim.query('SHOW TABLES FROM d')).toEqual([{ Tables_in_d: 't' }]);
      expect(await dst.sim.query('SELECT COUNT(*) AS n FROM d.t')).toEqual([{ n: '0' }]);
      await dst.c.query('CANCEL RESTORE FROM d');
      expect((await rowsOf(dst.c, 'SHOW RESTORE FROM d'))[0]).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: user cancelled, current state: SNAPSHOTING]' });
      expect(await dst.sim.query('SHOW TABLES FROM d')).toEqual([]);
    } finally {
      await dst.c.query('ADMIN SIM RESUME CLOCK');
      await dst.close();
    }
  });

  it('atomic_restore rebuilds an existing table in a side table and swaps it in (3.0.3)', async () => {
    const dst = await target('3.0');
    try {
      await dst.c.query('CREATE TABLE d.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1")');
      await dst.c.query("INSERT INTO d.t VALUES (2, 'old'), (13, 'old')");
      await dst.c.query('ADMIN SIM PAUSE CLOCK');
      await dst.c.query(`RESTORE SNAPSHOT d.base FROM r ON (t PARTITION (p2)) PROPERTIES ("backup_timestamp" = "${dst.ts}", "replication_num" = "1", "atomic_restore" = "true")`);
      await stepTo(dst.c, 'SHOW RESTORE FROM d', 'SNAPSHOTING');
      expect((await dst.sim.query('SHOW TABLES FROM d')).map((r) => r.Tables_in_d).sort()).toEqual(['__doris_atomic_restore_prefix__t', 't']);
      await dst.c.query('ADMIN SIM RESUME CLOCK');
      expect((await waitJob(dst.c, 'RESTORE', 'd')).State).toBe('FINISHED');
      expect(await dst.sim.query('SHOW TABLES FROM d')).toEqual([{ Tables_in_d: 't' }]);
      // The side table held only the restored partition, so that is all the table has now.
      expect(await dst.sim.query('SELECT * FROM d.t ORDER BY k')).toEqual([{ k: '11', v: 'b' }, { k: '12', v: 'c' }]);
      expect((await dst.sim.query('SHOW PARTITIONS FROM d.t')).map((p) => p.PartitionName)).toEqual(['p2']);
    } finally {
      await dst.close();
    }
  });

  it('cancels on a partition with a different range, and overwrites a same-range one in place', async () => {
    const dst = await target('2.1');
    try {
      const ddl = (upper: string) => `CREATE TABLE d.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("${upper}")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1")`;
      await dst.c.query(ddl('30'));
      await dst.c.query(`RESTORE SNAPSHOT d.base FROM r ON (t) PROPERTIES ("backup_timestamp" = "${dst.ts}", "replication_num" = "1")`);
      expect(await waitJob(dst.c, 'RESTORE', 'd')).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: Partition p2 in table t has different partition item with partition in repository]' });
      expect((await dst.sim.query('SHOW TABLES FROM d')).map((r) => r.Tables_in_d)).toEqual(['t']);
      await dst.c.query('DROP TABLE d.t');
      await dst.c.query(ddl('20'));
      await dst.c.query("INSERT INTO d.t VALUES (3, 'kept')");
      await dst.c.query(`RESTORE SNAPSHOT d.base FROM r ON (t PARTITION (p2)) PROPERTIES ("backup_timestamp" = "${dst.ts}", "replication_num" = "1")`);
      expect((await waitJob(dst.c, 'RESTORE', 'd')).State).toBe('FINISHED');
      expect(await dst.sim.query('SELECT * FROM d.t ORDER BY k')).toEqual([{ k: '3', v: 'kept' }, { k: '11', v: 'b' }, { k: '12', v: 'c' }]);
    } finally {
      await dst.close();
    }
  });

  it('4.0 cancels a 2.1 snapshot, and 2.0 shows the restore database with its cluster prefix', async () => {
    const newest = await target('4.0');
    try {
      await newest.c.query(`RESTORE SNAPSHOT d.base FROM r PROPERTIES ("backup_timestamp" = "${newest.ts}", "replication_num" = "1")`);
      expect(await waitJob(newest.c, 'RESTORE', 'd')).toMatchObject({
        State: 'CANCELLED',
        Status: "[COMMON_ERROR, msg: Failed to read meta of snapshot 'base': meta version 129 is older than the oldest this FE reads (140)]",
      });
      expect(await newest.sim.query('SHOW TABLES FROM d')).toEqual([]);
    } finally {
      await newest.close();
    }
    const old = await target('2.0');
    try {
      await old.c.query(`RESTORE SNAPSHOT d.base FROM r ON (u) PROPERTIES ("backup_timestamp" = "${old.ts}", "replication_num" = "1")`);
      const row = await waitJob(old.c, 'RESTORE', 'd');
      // A 2.1 snapshot on 2.0 is a downgrade: refused like any newer snapshot.
      expect(row).toMatchObject({ DbName: 'default_cluster:d', State: 'CANCELLED', Status: "[COMMON_ERROR, msg: Failed to read meta of snapshot 'base': written by Doris 2.1, newer than this FE]" });
    } finally {
      await old.close();
    }
  });

  it('a restore running when the target stops carries on after a restart, submitted once', async () => {
    const first = await target('3.0');
    await first.c.query('ADMIN SIM PAUSE CLOCK');
    await first.c.query(`RESTORE SNAPSHOT d.base FROM r ON (t) PROPERTIES ("backup_timestamp" = "${first.ts}", "replication_num" = "1")`);
    await stepTo(first.c, 'SHOW RESTORE FROM d', 'DOWNLOAD');
    await first.c.end();
    await first.sim.stop();
    const second = await testSimulator({ version: '3.0', dataDir: first.sim.dataDir, timeScale: 2000 });
    try {
      await second.query('ADMIN SIM RESUME CLOCK');
      const c = await second.connect();
      expect((await waitJob(c, 'RESTORE', 'd')).State).toBe('FINISHED');
      await c.end();
      expect(await second.query('SELECT * FROM d.t ORDER BY k')).toEqual([{ k: '1', v: 'a' }, { k: '11', v: 'b' }, { k: '12', v: 'c' }]);
      // The history persists with the world: still the one statement from before the restart.
      expect(second.jobs.history().filter((h) => h.statement === 'RESTORE').map((h) => h.outcome)).toEqual(['submitted']);
    } finally {
      await second.dispose();
    }
  });

  it('a METADATA_ONLY snapshot restores the tables empty', async () => {
    await src.query('BACKUP SNAPSHOT d.meta_only TO r ON (t) PROPERTIES ("content" = "METADATA_ONLY")');
    expect((await waitJob(src, 'BACKUP', 'd')).State).toBe('FINISHED');
    const dst = await target('2.1');
    try {
      const ts = await snapshotTimestamp(dst.c, 'r', 'meta_only');
      const [detail] = await rowsOf(dst.c, `SHOW SNAPSHOT ON r WHERE SNAPSHOT = "meta_only" AND TIMESTAMP = "${ts}"`);
      expect(JSON.parse(detail!.Details!)).toMatchObject({ content: 'METADATA_ONLY', olap_table_list: [{ name: 't', partition_names: ['p1', 'p2'] }] });
      await dst.c.query(`RESTORE SNAPSHOT d.meta_only FROM r PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1")`);
      expect((await waitJob(dst.c, 'RESTORE', 'd')).State).toBe('FINISHED');
      expect(await dst.sim.query('SELECT COUNT(*) AS n FROM d.t')).toEqual([{ n: '0' }]);
      expect((await dst.sim.query('SHOW PARTITIONS FROM d.t')).map((p) => p.PartitionName)).toEqual(['p1', 'p2']);
    } finally {
      await dst.close();
    }
  });
});
