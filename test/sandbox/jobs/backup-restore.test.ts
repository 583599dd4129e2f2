// BACKUP and RESTORE through a real S3-compatible server between two simulators.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob } from '../../support/jobs.js';
import { DEMO_SQL, failure, testSimulator, type TestSim } from '../../support/simulator.js';

let s3: S3Server;
let source: TestSim;
let target: TestSim;
let src: mysql.Connection;
let dst: mysql.Connection;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  source = await testSimulator({ version: '2.1', seedSql: DEMO_SQL, timeScale: 2000 });
  target = await testSimulator({ version: '3.0', timeScale: 2000 });
  src = await source.connect();
  dst = await target.connect();
  await src.query(`CREATE REPOSITORY mig WITH S3 ON LOCATION "s3://doris-migrate/br" ${s3Properties(s3)}`);
  await dst.query(`CREATE READ ONLY REPOSITORY mig WITH S3 ON LOCATION "s3://doris-migrate/br" ${s3Properties(s3, 'aws')}`);
});
afterAll(async () => {
  await src.end();
  await dst.end();
  await source.dispose();
  await target.dispose();
  await s3.stop();
});

describe('BACKUP', () => {
  it('walks Doris states in order and reports them in SHOW BACKUP with the exact columns', async () => {
    await src.query('ADMIN SIM PAUSE CLOCK');
    await src.query('BACKUP SNAPSHOT sales.states_1 TO mig ON (customers) PROPERTIES ("timeout" = "3600")');
    const seen: string[] = [];
    const [first] = await rowsOf(src, 'SHOW BACKUP FROM sales WHERE SnapshotName = "states_1"');
    expect(first!.JobId).toBe('-1');
    // With the clock paused, each 4 s advance lets the job take exactly one step: wait for it.
    const stateNow = async () => (await rowsOf(src, 'SHOW BACKUP FROM sales WHERE SnapshotName = "states_1"'))[0]!.State!;
    seen.push(await stateNow());
    for (let i = 0; i < 12 && seen.at(-1) !== 'FINISHED'; i++) {
      await src.query('ADMIN SIM ADVANCE CLOCK 4');
      const until = Date.now() + 5000;
      let state = await stateNow();
      while (state === seen.at(-1) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 10));
        state = await stateNow();
      }
      seen.push(state);
    }
    await src.query('ADMIN SIM RESUME CLOCK');
    expect(seen).toEqual(['PENDING', 'SNAPSHOTING', 'UPLOAD_SNAPSHOT', 'UPLOADING', 'SAVE_META', 'UPLOAD_INFO', 'FINISHED']);
    const [row] = await rowsOf(src, 'SHOW BACKUP FROM sales WHERE SnapshotName LIKE "states%"');
    expect(Object.keys(row!)).toEqual(['JobId', 'SnapshotName', 'DbName', 'State', 'BackupObjs', 'CreateTime', 'SnapshotFinishedTime', 'UploadFinishedTime', 'FinishedTime', 'UnfinishedTasks', 'Progress', 'TaskErrMsg', 'Status', 'Timeout']);
    expect(row).toMatchObject({ DbName: 'sales', BackupObjs: '[sales.customers]', Status: '[OK]', Timeout: '3600' });
    expect(Number(row!.JobId)).toBeGreaterThan(0);
  });

  it('refuses bad submissions synchronously with Doris texts', async () => {
    const cases: [string, string][] = [
      ['BACKUP SNAPSHOT sales.`bad label` TO mig', 'Label format error. regex: ^[-_A-Za-z0-9:]{1,128}$, label: bad label'],
      ['BACKUP SNAPSHOT sales.x1 TO nope', 'Repository nope does not exist'],
      ['BACKUP SNAPSHOT sales.x1 TO mig ON (missing)', "Unknown table 'missing'"],
      ['BACKUP SNAPSHOT ops.x1 TO mig ON (legacy_mysql)', "Table 'legacy_mysql' is not a OLAP table"],
      ['BACKUP SNAPSHOT ops.x1 TO mig ON (staging)', 'Do not support backup table with temp partitions'],
      ['BACKUP SNAPSHOT sales.x1 TO mig ON (orders PARTITION (p1999))', 'Unknown partition p1999 in tableorders'],
      ['BACKUP SNAPSHOT sales.x1 TO mig PROPERTIES ("timeout" = "60")', 'timeout must be at least 10 min'],
      ['BACKUP SNAPSHOT sales.x1 TO mig PROPERTIES ("colour" = "red")', 'Unknown backup job properties: [colour]'],
      ['BACKUP SNAPSHOT sales.x1 TO mig ON (orders AS o)', 'Can not set alias for table in Backup Stmt'],
      ['BACKUP SNAPSHOT nowhere.x1 TO mig', "Unknown database 'nowhere'"],
      ['BACKUP SNAPSHOT sales.states_1 TO mig ON (customers)', "Snapshot with name 'states_1' already exist in repository"],
    ];
    for (const [sql, text] of cases) expect((await failure(src, sql)).message, sql).toContain(text);
    expect((await failure(src, 'BACKUP SNAPSHOT ops.x1 TO mig ON (legacy_mysql)')).errno).toBe(5000);
  });

  it('allows one job per database, with the running label named', async () => {
    await src.query('ADMIN SIM PAUSE CLOCK');
    await src.query('BACKUP SNAPSHOT sales.one_1 TO mig ON (customers)');
    const e = await failure(src, 'BACKUP SNAPSHOT sales.one_2 TO mig ON (orders)');
    expect(e.message).toBe('errCode = 2, detailMessage = Can only run one backup or restore job of a database at same time , current running: label = one_1 jobId = -1, to run label = one_2');
    await src.query('BACKUP SNAPSHOT analytics.one_3 TO mig ON (region_sales)');
    await src.query('ADMIN SIM RESUME CLOCK');
    expect((await waitJob(src, 'BACKUP', 'sales')).State).toBe('FINISHED');
    expect((await waitJob(src, 'BACKUP', 'analytics')).State).toBe('FINISHED');
  });

  it('refuses backups to a read-only repository', async () => {
    await dst.query('CREATE DATABASE IF NOT EXISTS ro');
    await dst.query('CREATE TABLE IF NOT EXISTS ro.t (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    expect((await failure(dst, 'BACKUP SNAPSHOT ro.x TO mig')).message).toContain('Repository mig is read only');
  });

  it('cancels a backup of cooled storage-policy data, and a user cancel burns the label', async () => {
    await src.query('ADMIN SIM COOL TABLE ops.audit_log');
    await src.query('BACKUP SNAPSHOT ops.cool_1 TO mig ON (audit_log)');
    const cooled = await waitJob(src, 'BACKUP', 'ops');
    expect(cooled).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: make snapshot failed, currently not support backup tablet with cooldowned remote data]' });

    await src.query('ADMIN SIM PAUSE CLOCK');
    await src.query('BACKUP SNAPSHOT ops.burn_1 TO mig ON (heartbeat)');
    for (let i = 0; i < 8; i++) {
      const [row] = await rowsOf(src, 'SHOW BACKUP FROM ops WHERE SnapshotName = "burn_1"');
      if (row!.State === 'SAVE_META') break;
      await src.query('ADMIN SIM ADVANCE CLOCK 4');
      await new Promise((r) => setTimeout(r, 60));
    }
    await src.query('CANCEL BACKUP FROM ops');
    await src.query('ADMIN SIM RESUME CLOCK');
    const [row] = await rowsOf(src, 'SHOW BACKUP FROM ops WHERE SnapshotName = "burn_1"');
    expect(row).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: user cancelled]' });
    expect(await rowsOf(src, 'SHOW SNAPSHOT ON mig WHERE SNAPSHOT = "burn_1"')).toEqual([{ Snapshot: 'burn_1', Timestamp: null, Status: 'ERROR: No info file found' }]);
    expect((await failure(src, 'BACKUP SNAPSHOT ops.burn_1 TO mig ON (heartbeat)')).message).toContain("Snapshot with name 'burn_1' already exist");
    expect((await failure(src, 'CANCEL BACKUP FROM ops')).message).toContain('Failed to cancel job: Job with label burn_1 can not be cancelled. state: CANCELLED');
  });
});

describe('RESTORE', () => {
  let timestamp: string;
  beforeAll(async () => {
    await src.query('BACKUP SNAPSHOT sales.full_1 TO mig');
    expect((await waitJob(src, 'BACKUP', 'sales')).State).toBe('FINISHED');
    await src.query('BACKUP SNAPSHOT analytics.full_2 TO mig');
    expect((await waitJob(src, 'BACKUP', 'analytics')).State).toBe('FINISHED');
    timestamp = await snapshotTimestamp(dst, 'mig', 'full_1');
  });

  it('lists snapshots with their timestamp and details', async () => {
    expect(timestamp).toMatch(/^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
    const [detail] = await rowsOf(dst, `SHOW SNAPSHOT ON mig WHERE SNAPSHOT = "full_1" AND TIMESTAMP = "${timestamp}"`);
    expect(Object.keys(detail!)).toEqual(['Snapshot', 'Timestamp', 'Database', 'Details', 'Status']);
    const brief = JSON.parse(detail!.Details!) as { database: string; olap_table_list: { name: string }[]; view_list: { name: string }[] };
    expect(brief.database).toBe('sales');
    expect(brief.olap_table_list.map((t) => t.name).sort()).toEqual(['customers', 'order_items', 'orders']);
    expect(brief.view_list.map((v) => v.name)).toEqual(['big_orders']);
  });

  it('needs the target database to exist, and a backup_timestamp', async () => {
    expect((await failure(dst, `RESTORE SNAPSHOT nodb.full_1 FROM mig PROPERTIES ("backup_timestamp" = "${timestamp}")`)).errno).toBe(1049);
    await dst.query('CREATE DATABASE sales');
    expect((await failure(dst, 'RESTORE SNAPSHOT sales.full_1 FROM mig PROPERTIES ("replication_num" = "1")')).message).toContain('Missing backup_timestamp property');
    const wrong = await failure(dst, 'RESTORE SNAPSHOT sales.full_1 FROM mig PROPERTIES ("backup_timestamp" = "2000-01-01-00-00-00")');
    expect(wrong.message).toContain("Failed to get info of snapshot 'full_1' because: Expected one file with path:");
    expect(wrong.message).toContain('Maybe specified wrong backup timestamp');
  });

  it('probes properties without creating a job: supported keys fail on the value, others as unknown', async () => {
    const probe = (key: string) => failure(dst, `RESTORE SNAPSHOT sales.x FROM mig PROPERTIES ("backup_timestamp" = "x", "${key}" = "probe")`);
    expect((await probe('atomic_restore')).message).toContain('Invalid boolean property atomic_restore value: probe');
    expect((await probe('clean_tables')).message).toContain('Invalid boolean property clean_tables value: probe');
    expect((await probe('force_replace')).message).toContain('Unknown restore job properties: [force_replace]');
    expect((await probe('reserve_colocate')).message).toContain('Unknown restore job properties: [reserve_colocate]');
    expect(await rowsOf(dst, 'SHOW RESTORE FROM sales')).toEqual([]);
  });

  it('rebuilds tables, rows and properties with Doris rules', async () => {
    await dst.query(`RESTORE SNAPSHOT sales.full_1 FROM mig PROPERTIES ("backup_timestamp" = "${timestamp}", "replication_num" = "1")`);
    await waitJob(dst, 'RESTORE', 'sales');
    const [row] = await rowsOf(dst, 'SHOW RESTORE FROM sales');
    expect(Object.keys(row!)).toHaveLength(21);
    expect(row).toMatchObject({ Label: 'full_1', Timestamp: timestamp, DbName: 'sales', State: 'FINISHED', ReplicationNum: '1', ReplicaAllocation: 'tag.location.default: 1', Status: '[OK]' });
    expect(Object.keys((await rowsOf(dst, 'SHOW BRIEF RESTORE FROM sales'))[0]!)).toHaveLength(18);
    for (const table of ['orders', 'customers', 'order_items']) {
      expect(await target.query(`SELECT * FROM sales.${table} ORDER BY 1`)).toEqual(await source.query(`SELECT * FROM sales.${table} ORDER BY 1`));
    }
    const [ddl] = await target.query('SHOW CREATE TABLE sales.orders');
    expect(ddl!['Create Table']).toContain('"replication_allocation" = "tag.location.default: 1"');
    expect(ddl!['Create Table']).not.toContain('colocate_with');
    const [view] = await target.query('SHOW CREATE TABLE sales.big_orders');
    expect(view!['Create View']).toContain('FROM sales.orders');
  });

  it('turns dynamic partitioning off unless asked to keep it, and never restores async MVs', async () => {
    const ts = await snapshotTimestamp(dst, 'mig', 'full_2');
    await dst.query('CREATE DATABASE an_off');
    await dst.query('CREATE DATABASE an_on');
    await dst.query(`RESTORE SNAPSHOT an_off.full_2 FROM mig PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1")`);
    await dst.query(`RESTORE SNAPSHOT an_on.full_2 FROM mig PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1", "reserve_dynamic_partition_enable" = "true")`);
    expect((await waitJob(dst, 'RESTORE', 'an_off')).State).toBe('FINISHED');
    expect((await waitJob(dst, 'RESTORE', 'an_on')).State).toBe('FINISHED');
    const [off] = await target.query('SHOW CREATE TABLE an_off.events');
    const [on] = await target.query('SHOW CREATE TABLE an_on.events');
    expect(off!['Create Table']).toContain('"dynamic_partition.enable" = "false"');
    expect(off!['Create Table']).toContain('"dynamic_partition.time_unit" = "DAY"');
    expect(on!['Create Table']).toContain('"dynamic_partition.enable" = "true"');
    expect((await target.query('SHOW TABLES FROM an_on')).map((r) => r.Tables_in_an_on)).toEqual(['events', 'region_sales']);
  });

  it('cancels a restore onto a table with a different schema, asynchronously', async () => {
    await dst.query('CREATE DATABASE clash');
    await dst.query('CREATE TABLE clash.customers (id BIGINT NOT NULL, other INT) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")');
    await dst.query(`RESTORE SNAPSHOT clash.full_1 FROM mig ON (customers) PROPERTIES ("backup_timestamp" = "${timestamp}", "replication_num" = "1")`);
    expect(await waitJob(dst, 'RESTORE', 'clash')).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: Table customers already exist but with different schema]' });
    await dst.query(`RESTORE SNAPSHOT clash.full_1 FROM mig ON (customers AS customers_restored) PROPERTIES ("backup_timestamp" = "${timestamp}", "replication_num" = "1")`);
    expect((await waitJob(dst, 'RESTORE', 'clash')).State).toBe('FINISHED');
    expect(await target.query('SELECT COUNT(*) AS n FROM clash.customers_restored')).toEqual([{ n: '3' }]);
  });

  it('cancels a restore that needs more replicas than alive backends', async () => {
    await dst.query('CREATE DATABASE few');
    await dst.query('ADMIN SIM SET ALIVE BACKENDS 1');
    await dst.query(`RESTORE SNAPSHOT few.full_1 FROM mig ON (customers) PROPERTIES ("backup_timestamp" = "${timestamp}", "replication_num" = "3")`);
    const row = await waitJob(dst, 'RESTORE', 'few');
    await dst.query('ADMIN SIM SET ALIVE BACKENDS 3');
    expect(row.Status).toBe('[COMMON_ERROR, msg: errCode = 2, detailMessage = replication num should be less than the number of available backends. replication num is 3, available backend num is 1]');
  });
});
