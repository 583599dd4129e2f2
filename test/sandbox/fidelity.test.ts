// The simulator answers as Doris's FE code does (issue 14, items 1–9): colocation group names by
// version, the stored property map, "NULL" partition expressions, AUTO PARTITION, the running
// dynamic-partition scheduler, key-model merges, the whole restore signature, MTMV creation and
// 4.0's reserve_colocate refusal.
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitJob } from '../support/jobs.js';
import { failure, testSimulator, type TestSim } from '../support/simulator.js';

const COLOCATED = `CREATE DATABASE shop;
CREATE TABLE shop.a (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1", "colocate_with" = "g1");
CREATE TABLE shop.b (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1", "colocate_with" = "g1");`;

describe('1. colocation group names', () => {
  it.each([
    ['2.0', (dbId: string) => `${dbId}_g1`],
    ['2.1', () => 'shop.g1'],
    ['4.0', () => 'shop.g1'],
  ])('%s prints GroupName in its own form, and the DDL keeps the bare name', async (version, expected) => {
    const sim = await testSimulator({ version, seedSql: COLOCATED });
    try {
      const [group] = await sim.query("SHOW PROC '/colocation_group'");
      const dbId = group!.GroupId!.split('.')[0]!;
      expect(group!.GroupName).toBe(expected(dbId));
      const [ddl] = await sim.query('SHOW CREATE TABLE shop.a');
      expect(ddl!['Create Table']).toContain('"colocate_with" = "g1"');
    } finally {
      await sim.dispose();
    }
  });
});

describe('2.1.7 catalog reads', () => {
  let sim: TestSim;
  let c: mysql.Connection;
  beforeAll(async () => {
    sim = await testSimulator({ version: '2.1', seedSql: 'CREATE DATABASE d;' });
    c = await sim.connect();
  });
  afterAll(async () => {
    await c.end();
    await sim.dispose();
  });

  it('2. table_properties holds the stored map: replication under default.replication_allocation, dynamic keys as stored', async () => {
    await c.query(`CREATE TABLE d.dyn (dt DATE, v INT) DUPLICATE KEY(dt) PARTITION BY RANGE(dt) () DISTRIBUTED BY HASH(dt) BUCKETS 3
      PROPERTIES ("replication_num" = "1", "dynamic_partition.time_unit" = "DAY", "dynamic_partition.start" = "-3", "dynamic_partition.end" = "2", "dynamic_partition.prefix" = "p", "dynamic_partition.replication_num" = "1")`);
    const props = Object.fromEntries((await rowsOf(c, "SELECT PROPERTY_NAME, PROPERTY_VALUE FROM information_schema.table_properties WHERE TABLE_NAME = 'dyn'")).map((r) => [r.PROPERTY_NAME, r.PROPERTY_VALUE]));
    expect(props['default.replication_allocation']).toBe('tag.location.default: 1');
    expect(props.replication_allocation).toBeUndefined();
    expect(Object.keys(props).filter((k) => k.startsWith('dynamic_partition.')).sort()).toEqual([
      'dynamic_partition.buckets', 'dynamic_partition.create_history_partition', 'dynamic_partition.enable', 'dynamic_partition.end', 'dynamic_partition.history_partition_num',
      'dynamic_partition.prefix', 'dynamic_partition.replication_allocation', 'dynamic_partition.reserved_history_periods', 'dynamic_partition.start', 'dynamic_partition.time_unit', 'dynamic_partition.time_zone',
    ]);
    expect(props['dynamic_partition.buckets']).toBe('3');
    const [ddl] = await rowsOf(c, 'SHOW CREATE TABLE d.dyn');
    const printed = [...ddl!['Create Table']!.matchAll(/"(dynamic_partition\.[a-z_]+)" = "([^"]*)"/g)].map((m) => m[1]);
    expect(printed).toEqual(['enable', 'time_unit', 'time_zone', 'start', 'end', 'prefix', 'replication_allocation', 'buckets', 'create_history_partition', 'history_partition_num', 'hot_partition_num', 'reserved_history_periods', 'storage_policy'].map((k) => `dynamic_partition.${k}`));
  });

  it('5. the dynamic-partition scheduler makes partitions at CREATE and as the clock moves, dropping those before start', async () => {
    const names = async () => (await rowsOf(c, 'SHOW PARTITIONS FROM d.dyn')).map((r) => r.PartitionName);
    const first = await names();
    // create_history_partition is false: offsets 0..end, i.e. today and the next two days.
    expect(first).toHaveLength(3);
    expect(first.every((n) => /^p\d{8}$/.test(n!))).toBe(true);
    await c.query('ADMIN SIM ADVANCE CLOCK 432000'); // five days
    const later = await names();
    // Today+5 .. today+7 are added; of the first three only today+2 is not wholly before today+5-3.
    expect(later).toHaveLength(4);
    expect(later).toContain(first[2]);
    expect(later).not.toContain(first[0]);
    const [row] = await rowsOf(c, 'SHOW PARTITIONS FROM d.dyn');
    expect(row!.Buckets).toBe('3');
  });

  it('3. information_schema.partitions: the string "NULL" for unpartitioned tables, temporary partitions listed', async () => {
    await c.query('CREATE TABLE d.flat (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    await c.query('CREATE TABLE d.ranged (k INT) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    await c.query('ALTER TABLE d.ranged ADD TEMPORARY PARTITION tp1 VALUES LESS THAN ("10")');
    const [flat] = await rowsOf(c, "SELECT PARTITION_EXPRESSION, PARTITION_DESCRIPTION FROM information_schema.partitions WHERE TABLE_NAME = 'flat'");
    expect(flat).toEqual({ PARTITION_EXPRESSION: 'NULL', PARTITION_DESCRIPTION: 'NULL' });
    const ranged = await rowsOf(c, "SELECT PARTITION_NAME FROM information_schema.partitions WHERE TABLE_NAME = 'ranged'");
    expect(ranged.map((r) => r.PARTITION_NAME)).toEqual(['p1', 'tp1']);
  });

  it('4. AUTO PARTITION: INSERT makes the partitions, SHOW CREATE TABLE prints the AUTO form', async () => {
    await c.query(`CREATE TABLE d.events (ts DATETIME NOT NULL, v INT) DUPLICATE KEY(ts) AUTO PARTITION BY RANGE (date_trunc(ts, 'month')) () DISTRIBUTED BY HASH(ts) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    await c.query(`CREATE TABLE d.cities (city VARCHAR(16) NOT NULL, v INT) DUPLICATE KEY(city) AUTO PARTITION BY LIST (city) () DISTRIBUTED BY HASH(city) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    await c.query(`INSERT INTO d.events VALUES ('2024-01-05 10:00:00', 1), ('2024-01-20 00:00:00', 2), ('2024-03-01 00:00:00', 3)`);
    await c.query(`INSERT INTO d.cities VALUES ('Beijing', 1), ('New York', 2)`);
    expect((await rowsOf(c, 'SHOW PARTITIONS FROM d.events')).map((r) => r.PartitionName)).toEqual(['p20240101000000', 'p20240301000000']);
    expect((await rowsOf(c, 'SHOW PARTITIONS FROM d.cities')).map((r) => r.PartitionName)).toEqual(['pBeijing7', 'pNew20York8']);
    const [ddl] = await rowsOf(c, 'SHOW CREATE TABLE d.events');
    expect(ddl!['Create Table']).toContain("AUTO PARTITION BY RANGE (date_trunc(`ts`, 'month'))\n(PARTITION p20240101000000 VALUES [(\"2024-01-01 00:00:00\"), (\"2024-02-01 00:00:00\"))");
    const [list] = await rowsOf(c, 'SHOW CREATE TABLE d.cities');
    expect(list!['Create Table']).toContain('AUTO PARTITION BY LIST (`city`)\n(');
  });

  it('6. AGGREGATE KEY merges by each value function, UNIQUE KEY keeps the last row; counts see merged rows', async () => {
    await c.query(`CREATE TABLE d.agg (k INT, s BIGINT SUM, mx INT MAX, mn INT MIN, r VARCHAR(8) REPLACE, rn VARCHAR(8) REPLACE_IF_NOT_NULL) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    await c.query(`INSERT INTO d.agg VALUES (1, 5, 3, 3, 'a', 'x'), (1, 7, 9, 1, 'b', NULL), (2, 1, 1, 1, 'c', 'y')`);
    expect(await rowsOf(c, 'SELECT * FROM d.agg ORDER BY k')).toEqual([
      { k: '1', s: '12', mx: '9', mn: '1', r: 'b', rn: 'x' },
      { k: '2', s: '1', mx: '1', mn: '1', r: 'c', rn: 'y' },
    ]);
    await c.query(`CREATE TABLE d.uniq (k INT, v VARCHAR(8)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    await c.query(`INSERT INTO d.uniq VALUES (1, 'old'), (2, 'two')`);
    await c.query(`INSERT INTO d.uniq VALUES (1, 'new')`);
    expect(await rowsOf(c, 'SELECT COUNT(*) AS n FROM d.uniq')).toEqual([{ n: '2' }]);
    expect(await rowsOf(c, 'SELECT v FROM d.uniq WHERE k = 1')).toEqual([{ v: 'new' }]);
    expect((await rowsOf(c, "SELECT TABLE_ROWS FROM information_schema.partitions WHERE TABLE_NAME = 'agg'"))[0]!.TABLE_ROWS).toBe('2');
  });

  it('8. an async MV resolves its base tables, places replicas by its own properties and holds its query rows', async () => {
    expect((await failure(c, 'CREATE MATERIALIZED VIEW d.mv_bad BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 1 PROPERTIES ("replication_num" = "1") AS SELECT k FROM d.nope')).message)
      .toContain('Table [nope] does not exist in database [d].');
    await c.query('ADMIN SIM SET ALIVE BACKENDS 1');
    try {
      expect((await failure(c, 'CREATE MATERIALIZED VIEW d.mv3 BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 1 AS SELECT k FROM d.uniq')).message).toContain('Failed to find enough backend');
      await c.query('CREATE MATERIALIZED VIEW d.mv1 BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 1 PROPERTIES ("replication_num" = "1") AS SELECT k, v FROM d.uniq');
      expect(await rowsOf(c, 'SELECT COUNT(*) AS n FROM d.mv1')).toEqual([{ n: '2' }]);
      await c.query(`INSERT INTO d.uniq VALUES (3, 'three')`);
      expect(await rowsOf(c, 'SELECT COUNT(*) AS n FROM d.mv1')).toEqual([{ n: '2' }]);
      await c.query('REFRESH MATERIALIZED VIEW d.mv1 COMPLETE');
      expect(await rowsOf(c, 'SELECT COUNT(*) AS n FROM d.mv1')).toEqual([{ n: '3' }]);
      // Properties in single quotes are the same properties (Doris's parser takes either quote).
      await c.query("CREATE MATERIALIZED VIEW d.mv2 BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 1 PROPERTIES ('replication_num' = '1') AS SELECT k FROM d.uniq");
    } finally {
      await c.query('ADMIN SIM SET ALIVE BACKENDS 3');
    }
  });
});

describe('7 and 9. RESTORE onto existing tables', () => {
  let s3: S3Server;
  let location: string;
  const SEED = `CREATE DATABASE d;
CREATE TABLE d.t (k INT NOT NULL, v INT SUM) AGGREGATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");
ALTER TABLE d.t ADD ROLLUP r1 (k);
CREATE TABLE d.c (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1", "colocate_with" = "g");
INSERT INTO d.t VALUES (1, 1), (11, 2);`;
  const repo = (readOnly: boolean) => `CREATE ${readOnly ? 'READ ONLY ' : ''}REPOSITORY r WITH S3 ON LOCATION "${location}" ${s3Properties(s3)}`;
  let ts21: string;
  let ts40: string;

  beforeAll(async () => {
    s3 = await startS3Server({ buckets: ['doris-migrate'] });
    location = `s3://doris-migrate/fidelity-${process.pid}`;
    for (const [version, label] of [['2.1.9', 'snap21'], ['4.0', 'snap40']] as const) {
      const sim = await testSimulator({ version, seedSql: SEED, timeScale: 2000 });
      const c = await sim.connect();
      await c.query(repo(false));
      await c.query(`BACKUP SNAPSHOT d.${label} TO r`);
      expect((await waitJob(c, 'BACKUP', 'd')).State).toBe('FINISHED');
      if (version === '4.0') ts40 = await snapshotTimestamp(c, 'r', label);
      else ts21 = await snapshotTimestamp(c, 'r', label);
      await c.end();
      await sim.dispose();
    }
  });
  afterAll(() => s3.stop());

  async function onTarget(version: string, setup: string, run: (c: mysql.Connection) => Promise<void>): Promise<void> {
    const sim = await testSimulator({ version, timeScale: 2000, seedSql: `CREATE DATABASE d;\n${setup}` });
    const c = await sim.connect();
    try {
      await c.query(repo(true));
      await run(c);
    } finally {
      await c.end();
      await sim.dispose();
    }
  }
  const status = async (c: mysql.Connection) => (await waitJob(c, 'RESTORE', 'd')).Status;
  const sameT = 'CREATE TABLE d.t (k INT NOT NULL, v INT SUM) AGGREGATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");';

  it('7. a different rollup is a different schema, also for atomic_restore; force_replace replaces it (2.1.9)', async () => {
    await onTarget('2.1.9', sameT, async (c) => {
      await c.query(`RESTORE SNAPSHOT d.snap21 FROM r ON (t) PROPERTIES ("backup_timestamp" = "${ts21}", "replication_num" = "1")`);
      expect(await status(c)).toBe('[COMMON_ERROR, msg: Table t already exist but with different schema]');
      await c.query(`RESTORE SNAPSHOT d.snap21 FROM r ON (t) PROPERTIES ("backup_timestamp" = "${ts21}", "replication_num" = "1", "atomic_restore" = "true")`);
      expect(await status(c)).toBe('[COMMON_ERROR, msg: Table t already exist but with different schema]');
      await c.query(`RESTORE SNAPSHOT d.snap21 FROM r ON (t) PROPERTIES ("backup_timestamp" = "${ts21}", "replication_num" = "1", "atomic_restore" = "true", "force_replace" = "true")`);
      expect(await status(c)).toBe('[OK]');
      expect((await rowsOf(c, 'DESC d.t ALL')).map((r) => r.IndexName).filter(Boolean)).toEqual(['t', 'r1']);
    });
  });

  it('7. an alias onto an existing table never matches; a new partition overlapping an existing one conflicts', async () => {
    const other = 'CREATE TABLE d.x (k INT NOT NULL, v INT SUM) AGGREGATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1"); ALTER TABLE d.x ADD ROLLUP r1 (k);';
    await onTarget('2.1.9', other, async (c) => {
      await c.query(`RESTORE SNAPSHOT d.snap21 FROM r ON (t AS x) PROPERTIES ("backup_timestamp" = "${ts21}", "replication_num" = "1")`);
      expect(await status(c)).toBe('[COMMON_ERROR, msg: Table x already exist but with different schema]');
    });
    const overlapping = 'CREATE TABLE d.t (k INT NOT NULL, v INT SUM) AGGREGATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION q VALUES [("10"), ("15"))) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1"); ALTER TABLE d.t ADD ROLLUP r1 (k);';
    await onTarget('2.1.9', overlapping, async (c) => {
      await c.query(`RESTORE SNAPSHOT d.snap21 FROM r ON (t) PROPERTIES ("backup_timestamp" = "${ts21}", "replication_num" = "1")`);
      expect(await status(c)).toBe('[COMMON_ERROR, msg: Partition p2 in table t has conflict partition item with existing items]');
    });
  });

  it('9. 4.0 with reserve_colocate refuses to restore a colocated snapshot table onto an existing one', async () => {
    await onTarget('4.0', 'CREATE TABLE d.c (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");', async (c) => {
      await c.query(`RESTORE SNAPSHOT d.snap40 FROM r ON (c) PROPERTIES ("backup_timestamp" = "${ts40}", "replication_num" = "1", "reserve_colocate" = "true")`);
      expect(await status(c)).toBe('[COMMON_ERROR, msg: Not support to restore to local table c with colocate group.]');
      await c.query(`RESTORE SNAPSHOT d.snap40 FROM r ON (c) PROPERTIES ("backup_timestamp" = "${ts40}", "replication_num" = "1")`);
      expect(await status(c)).toBe('[OK]');
    });
  });

  it('7. snapshot labels compare case-sensitively', async () => {
    const sim = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    const c = await sim.connect();
    try {
      await c.query(repo(false));
      await c.query('BACKUP SNAPSHOT d.SNAP21 TO r');
      expect((await waitJob(c, 'BACKUP', 'd')).State).toBe('FINISHED');
    } finally {
      await c.end();
      await sim.dispose();
    }
  });
});
