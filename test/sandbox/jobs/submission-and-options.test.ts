// Synchronous refusals of SHOW/RESTORE/CANCEL, job timeouts, and what clean_tables,
// clean_partitions, reserve_replica and is_being_synced do to the target (2.1.7).
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob } from '../../support/jobs.js';
import { failure, testSimulator, type TestSim } from '../../support/simulator.js';

const SEED = `CREATE DATABASE d;
CREATE RESOURCE "cold_s3" PROPERTIES ("type" = "s3", "s3.endpoint" = "http://127.0.0.1:9", "s3.region" = "us-east-1", "s3.bucket" = "cold", "s3.root.path" = "d", "s3.access_key" = "a", "s3.secret_key" = "b");
CREATE STORAGE POLICY cold PROPERTIES ("storage_resource" = "cold_s3", "cooldown_ttl" = "30d");
CREATE TABLE d.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_allocation" = "tag.location.default: 2", "storage_policy" = "cold");
CREATE TABLE d.u (k INT NOT NULL) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO d.t VALUES (1, 'a'), (11, 'b');
INSERT INTO d.u VALUES (7);`;

let s3: S3Server;
let source: TestSim;
let target: TestSim;
let src: mysql.Connection;
let dst: mysql.Connection;
let ts: string;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  const location = `s3://doris-migrate/options-${process.pid}`;
  [source, target] = await Promise.all([testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 }), testSimulator({ version: '2.1', timeScale: 2000 })]);
  [src, dst] = await Promise.all([source.connect(), target.connect()]);
  await src.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "${location}" ${s3Properties(s3)}`);
  await dst.query(`CREATE READ ONLY REPOSITORY r WITH S3 ON LOCATION "${location}" ${s3Properties(s3)}`);
  await src.query('BACKUP SNAPSHOT d.base TO r');
  expect((await waitJob(src, 'BACKUP', 'd')).State).toBe('FINISHED');
  ts = await snapshotTimestamp(dst, 'r', 'base');
});
afterAll(async () => {
  await src.end();
  await dst.end();
  await source.dispose();
  await target.dispose();
  await s3.stop();
});

const restore = (db: string, on: string, props = '') => `RESTORE SNAPSHOT ${db}.base FROM r ${on} PROPERTIES ("backup_timestamp" = "${ts}"${props})`;

describe('synchronous refusals', () => {
  it('SHOW BACKUP, SHOW RESTORE and SHOW SNAPSHOT name the WHERE shapes they accept', async () => {
    expect((await failure(src, 'SHOW BACKUP FROM d WHERE State = "FINISHED"')).message).toContain('Where clause should like: SnapshotName = "your_snapshot_name",  or SnapshotName LIKE "matcher"');
    expect((await failure(src, 'SHOW RESTORE FROM d WHERE SnapshotName = "x"')).message).toContain('Where clause should like: LABEL = "your_label_name",  or LABEL LIKE "matcher"');
    const hint = "Where clause should looks like: SNAPSHOT = 'your_snapshot_name' [AND TIMESTAMP = '2018-04-18-19-19-10'] [AND SNAPSHOTTYPE = 'remote' | 'local']";
    expect((await failure(src, `SHOW SNAPSHOT ON r WHERE TIMESTAMP = "${ts}"`)).message).toContain(hint);
    expect((await failure(src, 'SHOW SNAPSHOT ON r WHERE SNAPSHOT = "a" OR SNAPSHOT = "b"')).message).toContain(hint);
    expect((await rowsOf(src, 'SHOW BACKUP FROM d WHERE SnapshotName LIKE "BA%"')).map((r) => r.SnapshotName)).toEqual(['base']);
  });

  it('RESTORE checks its table list and properties before queueing anything', async () => {
    await dst.query('CREATE DATABASE IF NOT EXISTS refused');
    const cases: [string, string][] = [
      [restore('refused', 'ON (nope)'), 'Table nope does not exist in snapshot base'],
      [restore('refused', 'ON (t PARTITION (p9))'), 'Partition p9 of table t does not exist in snapshot'],
      [restore('refused', 'ON (t, u AS t)'), 'Duplicated alias name: t'],
      [restore('refused', 'EXCLUDE (t AS x)'), 'The table alias in exclude clause does not make sense'],
      [restore('refused', '', ', "replication_num" = "1", "replication_allocation" = "tag.location.default: 1"'), 'Unknown restore job properties: [replication_allocation]'],
      [restore('refused', '', ', "replication_num" = "0"'), 'Replication num should between 1 and 32767'],
      [restore('refused', '', ', "reserve_replica" = "yes"'), 'Invalid boolean property reserve_replica value: yes'],
      [restore('refused', '', ', "meta_version" = "x"'), 'Invalid meta version format: x'],
      [restore('refused', '', ', "timeout" = "599"'), 'timeout must be at least 10 min'],
    ];
    for (const [sql, text] of cases) expect((await failure(dst, sql)).message, sql).toBe(`errCode = 2, detailMessage = ${text}`);
    expect(await rowsOf(dst, 'SHOW RESTORE FROM refused')).toEqual([]);
  });

  it('CANCEL targets the latest job of the database and says when there is none of its kind', async () => {
    await dst.query('CREATE DATABASE IF NOT EXISTS c');
    expect((await failure(dst, 'CANCEL RESTORE FROM c')).message).toContain('No restore job is currently running');
    await dst.query(restore('c', 'ON (u)', ', "replication_num" = "1"'));
    expect((await failure(dst, 'CANCEL BACKUP FROM c')).message).toContain('No backup job is currently running');
    const second = await failure(dst, restore('c', 'ON (u)', ', "replication_num" = "1"'));
    expect(second.message).toMatch(/Can only run one backup or restore job of a database at same time , current running: label = base jobId = -?\d+, to run label = base$/);
    await waitJob(dst, 'RESTORE', 'c');
    expect((await failure(dst, 'CANCEL RESTORE FROM c')).message).toContain('Failed to cancel job: Job with label base can not be cancelled. state: FINISHED');
  });
});

describe('timeouts', () => {
  it('cancel a backup as [TIMEOUT, msg: ] and a restore with its label', async () => {
    await dst.query('CREATE DATABASE IF NOT EXISTS slow');
    await src.query('ADMIN SIM PAUSE CLOCK');
    await dst.query('ADMIN SIM PAUSE CLOCK');
    try {
      await src.query('BACKUP SNAPSHOT d.slow TO r ON (u) PROPERTIES ("timeout" = "600")');
      await dst.query(restore('slow', 'ON (u)', ', "replication_num" = "1", "timeout" = "600"'));
      await src.query('ADMIN SIM ADVANCE CLOCK 601');
      await dst.query('ADMIN SIM ADVANCE CLOCK 601');
      expect(await waitJob(src, 'BACKUP', 'd')).toMatchObject({ SnapshotName: 'slow', State: 'CANCELLED', Status: '[TIMEOUT, msg: ]', Timeout: '600' });
      expect(await waitJob(dst, 'RESTORE', 'slow')).toMatchObject({ State: 'CANCELLED', Status: '[TIMEOUT, msg: restore job with label: base  timeout.]' });
    } finally {
      await src.query('ADMIN SIM RESUME CLOCK');
      await dst.query('ADMIN SIM RESUME CLOCK');
    }
  });
});

describe('restore options', () => {
  it('reserve_replica keeps the source allocation; is_being_synced marks the table and drops its policy', async () => {
    await dst.query('CREATE DATABASE keep');
    await dst.query(restore('keep', 'ON (t)', ', "reserve_replica" = "true", "is_being_synced" = "true"'));
    const row = await waitJob(dst, 'RESTORE', 'keep');
    expect(row).toMatchObject({ State: 'FINISHED', ReserveReplica: 'true', ReplicationNum: '3' });
    const [ddl] = await target.query('SHOW CREATE TABLE keep.t');
    expect(ddl!['Create Table']).toContain('"replication_allocation" = "tag.location.default: 2"');
    expect(ddl!['Create Table']).toContain('"is_being_synced" = "true"');
    expect(ddl!['Create Table']).not.toContain('storage_policy');
  });

  it('clean_partitions drops partitions the snapshot lacks; clean_tables drops tables outside the restore set', async () => {
    await dst.query('CREATE DATABASE clean');
    await dst.query('CREATE TABLE clean.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20"), PARTITION p3 VALUES LESS THAN ("30")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1")');
    await dst.query('CREATE TABLE clean.extra (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    await dst.query("INSERT INTO clean.t VALUES (25, 'gone')");
    await dst.query(restore('clean', 'ON (t)', ', "replication_num" = "1", "clean_partitions" = "true", "clean_tables" = "true"'));
    expect((await waitJob(dst, 'RESTORE', 'clean')).State).toBe('FINISHED');
    expect((await target.query('SHOW PARTITIONS FROM clean.t')).map((p) => p.PartitionName)).toEqual(['p1', 'p2']);
    expect(await target.query('SELECT * FROM clean.t ORDER BY k')).toEqual([{ k: '1', v: 'a' }, { k: '11', v: 'b' }]);
    expect(await target.query('SHOW TABLES FROM clean')).toEqual([{ Tables_in_clean: 't' }]);
  });
});
