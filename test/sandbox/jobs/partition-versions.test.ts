// What catch-up migrations rely on in the simulator (doris-facts.md Part A §4, Part B §5.8):
// partition versions and ids move as Doris moves them, partition-level BACKUP writes Doris's job
// info with per-partition id and version, and RESTORE onto an existing same-schema table
// overwrites the snapshot's partitions in place and adds new ones.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Store } from '../../../src/sandbox/objstore/s3.js';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob, type Row } from '../../support/jobs.js';
import { testSimulator, type TestSim } from '../../support/simulator.js';

let s3: S3Server;
let source: TestSim;
let target: TestSim;
let src: mysql.Connection;
let dst: mysql.Connection;

const TABLE = `CREATE TABLE cu.ev (d DATE, k INT, v INT) DUPLICATE KEY (d, k)
  PARTITION BY RANGE (d) (PARTITION p1 VALUES LESS THAN ("2024-02-01"), PARTITION p2 VALUES LESS THAN ("2024-03-01"), PARTITION p3 VALUES LESS THAN ("2024-04-01"))
  DISTRIBUTED BY HASH (k) BUCKETS 2 PROPERTIES ("replication_num" = "1")`;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  source = await testSimulator({ version: '2.1', timeScale: 2000 });
  target = await testSimulator({ version: '3.0', timeScale: 2000 });
  src = await source.connect();
  dst = await target.connect();
  await src.query(`CREATE REPOSITORY mig WITH S3 ON LOCATION "s3://doris-migrate/cu" ${s3Properties(s3)}`);
  await dst.query(`CREATE READ ONLY REPOSITORY mig WITH S3 ON LOCATION "s3://doris-migrate/cu" ${s3Properties(s3)}`);
  await src.query('CREATE DATABASE cu');
  await src.query(TABLE);
  await src.query(`INSERT INTO cu.ev VALUES ('2024-01-05', 1, 10), ('2024-02-05', 2, 20), ('2024-03-05', 3, 30)`);
});
afterAll(async () => {
  await src.end();
  await dst.end();
  await source.dispose();
  await target.dispose();
  await s3.stop();
});

const partitions = async (c: mysql.Connection, table = 'cu.ev'): Promise<Map<string, { id: string; version: number }>> =>
  new Map((await rowsOf(c, `SHOW PARTITIONS FROM ${table}`)).map((r: Row) => [r.PartitionName!, { id: r.PartitionId!, version: Number(r.VisibleVersion) }]));

async function backupAndRestore(label: string, on: string): Promise<void> {
  await src.query(`BACKUP SNAPSHOT cu.${label} TO mig ON (${on})`);
  expect((await waitJob(src, 'BACKUP', 'cu')).State).toBe('FINISHED');
  const ts = await snapshotTimestamp(src, 'mig', label);
  await dst.query(`RESTORE SNAPSHOT cu.${label} FROM mig ON (${on}) PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1")`);
  const restore = await waitJob(dst, 'RESTORE', 'cu');
  expect(restore.State, restore.Status ?? '').toBe('FINISHED');
}

describe('partition versions and ids', () => {
  it('grow by one per committed INSERT, only in the partitions it touched', async () => {
    const before = await partitions(src);
    await src.query(`INSERT INTO cu.ev VALUES ('2024-01-06', 4, 40), ('2024-01-07', 5, 50)`);
    const after = await partitions(src);
    expect(after.get('p1')).toEqual({ id: before.get('p1')!.id, version: before.get('p1')!.version + 1 });
    expect(after.get('p2')).toEqual(before.get('p2'));
  });

  it('INSERT OVERWRITE, TRUNCATE and REPLACE PARTITION bring partitions back under new ids', async () => {
    await src.query('CREATE TABLE cu.ids (d DATE, k INT) DUPLICATE KEY (d) PARTITION BY RANGE (d) (PARTITION a VALUES LESS THAN ("2024-02-01"), PARTITION b VALUES LESS THAN ("2024-03-01")) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    await src.query(`INSERT INTO cu.ids VALUES ('2024-01-01', 1), ('2024-02-01', 2)`);
    const start = await partitions(src, 'cu.ids');

    await src.query(`INSERT OVERWRITE TABLE cu.ids PARTITION (a) VALUES ('2024-01-02', 7)`);
    const overwritten = await partitions(src, 'cu.ids');
    expect(overwritten.get('a')!.id).not.toBe(start.get('a')!.id);
    expect(overwritten.get('a')!.version).toBe(2);
    expect(overwritten.get('b')).toEqual(start.get('b'));
    expect(await rowsOf(src, 'SELECT k FROM cu.ids ORDER BY k')).toEqual([{ k: '2' }, { k: '7' }]);

    await src.query(`INSERT OVERWRITE TABLE cu.ids VALUES ('2024-02-03', 9)`);
    const whole = await partitions(src, 'cu.ids');
    expect(whole.get('a')!.id).not.toBe(overwritten.get('a')!.id);
    expect(whole.get('b')!.id).not.toBe(overwritten.get('b')!.id);
    expect(await rowsOf(src, 'SELECT k FROM cu.ids')).toEqual([{ k: '9' }]);

    await src.query('TRUNCATE TABLE cu.ids PARTITION (b)');
    expect((await partitions(src, 'cu.ids')).get('b')!.id).not.toBe(whole.get('b')!.id);

    await src.query('ALTER TABLE cu.ids ADD TEMPORARY PARTITION ta VALUES LESS THAN ("2024-02-01")');
    const [temp] = await rowsOf(src, 'SHOW TEMPORARY PARTITIONS FROM cu.ids');
    await src.query('ALTER TABLE cu.ids REPLACE PARTITION (a) WITH TEMPORARY PARTITION (ta)');
    const replaced = await partitions(src, 'cu.ids');
    expect([...replaced.keys()]).toEqual(['a', 'b']);
    expect(replaced.get('a')!.id).toBe(temp!.PartitionId);
    expect(await rowsOf(src, 'SHOW TEMPORARY PARTITIONS FROM cu.ids')).toEqual([]);
  });

  it('ADD COLUMN and DROP COLUMN change the schema at once; old rows read the default', async () => {
    await src.query('CREATE TABLE cu.sc (k INT, v INT) DUPLICATE KEY (k) DISTRIBUTED BY HASH (k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    await src.query('INSERT INTO cu.sc VALUES (1, 2)');
    await src.query('ALTER TABLE cu.sc ADD COLUMN note VARCHAR(10) DEFAULT "x" AFTER k');
    expect(await rowsOf(src, 'SELECT k, note, v FROM cu.sc')).toEqual([{ k: '1', note: 'x', v: '2' }]);
    expect((await rowsOf(src, 'DESC cu.sc')).map((r) => r.Field)).toEqual(['k', 'note', 'v']);
    await src.query('ALTER TABLE cu.sc DROP COLUMN v');
    expect(await rowsOf(src, 'SELECT * FROM cu.sc')).toEqual([{ k: '1', note: 'x' }]);
    await expect(src.query('ALTER TABLE cu.sc ADD COLUMN note INT')).rejects.toThrow('Can not add column which already exists in base table: note');
  });
});

describe('partition-level BACKUP and RESTORE onto an existing table', () => {
  it("writes each partition's id and version into the job info, under Doris's field names", async () => {
    await src.query('BACKUP SNAPSHOT cu.info_1 TO mig ON (ev PARTITION (p1, p3))');
    expect((await waitJob(src, 'BACKUP', 'cu')).State).toBe('FINISHED');
    const store = await s3Store({ endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey, pathStyle: true, bucket: 'doris-migrate', prefix: 'cu' });
    const [key] = (await store.list('__palo_repository_mig/__ss_info_1/__info_')).map((o) => o.key);
    const info = JSON.parse((await store.get(key!)).toString('utf8')) as { backup_objects: Record<string, { id: number; partitions: Record<string, { id: number; version: number }> }> };
    const live = await partitions(src);
    const ev = info.backup_objects.ev!;
    expect(Object.keys(ev.partitions).sort()).toEqual(['p1', 'p3']);
    for (const p of ['p1', 'p3']) expect({ id: String(ev.partitions[p]!.id), version: ev.partitions[p]!.version }).toEqual(live.get(p));
  });

  it('overwrites the snapshot partitions in place, adds new ones and keeps the rest', async () => {
    await dst.query('CREATE DATABASE cu');
    await backupAndRestore('whole_1', 'ev');
    const restored = await partitions(dst);
    // The overwritten partitions carry the snapshot's version (Doris writes it back at commit).
    expect(restored.get('p1')!.version).toBe((await partitions(src)).get('p1')!.version);

    await src.query(`INSERT INTO cu.ev VALUES ('2024-02-09', 8, 80)`);
    await src.query('ALTER TABLE cu.ev ADD PARTITION p4 VALUES LESS THAN ("2024-05-01")');
    await src.query(`INSERT INTO cu.ev VALUES ('2024-04-09', 9, 90)`);
    await dst.query(`INSERT INTO cu.ev VALUES ('2024-03-09', 99, 990)`); // p3 is not in the next snapshot: it stays
    await backupAndRestore('delta_1', 'ev PARTITION (p2, p4)');

    const after = await partitions(dst);
    expect([...after.keys()]).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(after.get('p2')!.id).toBe(restored.get('p2')!.id);
    expect(after.get('p2')!.version).toBe((await partitions(src)).get('p2')!.version);
    expect(await rowsOf(dst, 'SELECT k FROM cu.ev ORDER BY k')).toEqual(['1', '2', '3', '4', '5', '8', '9', '99'].map((k) => ({ k })));
  });

  it('refuses an in-place overwrite whose replica count differs, and a new partition that overlaps', async () => {
    await src.query(`INSERT INTO cu.ev VALUES ('2024-01-10', 11, 110)`);
    await src.query('BACKUP SNAPSHOT cu.repl_1 TO mig ON (ev PARTITION (p1))');
    expect((await waitJob(src, 'BACKUP', 'cu')).State).toBe('FINISHED');
    const ts = await snapshotTimestamp(src, 'mig', 'repl_1');
    await dst.query(`RESTORE SNAPSHOT cu.repl_1 FROM mig ON (ev PARTITION (p1)) PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "2")`);
    expect((await waitJob(dst, 'RESTORE', 'cu')).Status).toBe("[COMMON_ERROR, msg: Partition p1 in table ev has different replication num '1' with partition in repository, which is 2]");

    await dst.query('ALTER TABLE cu.ev DROP PARTITION p4');
    await dst.query('ALTER TABLE cu.ev ADD PARTITION p4x VALUES [("2024-04-01"), ("2024-04-15"))');
    await src.query('BACKUP SNAPSHOT cu.overlap_1 TO mig ON (ev PARTITION (p4))');
    expect((await waitJob(src, 'BACKUP', 'cu')).State).toBe('FINISHED');
    const ts2 = await snapshotTimestamp(src, 'mig', 'overlap_1');
    await dst.query(`RESTORE SNAPSHOT cu.overlap_1 FROM mig ON (ev PARTITION (p4)) PROPERTIES ("backup_timestamp" = "${ts2}", "replication_num" = "1")`);
    expect((await waitJob(dst, 'RESTORE', 'cu')).Status).toBe('[COMMON_ERROR, msg: Partition p4 in table ev has conflict partition item with existing items]');
  });
});
