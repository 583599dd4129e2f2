// BACKUP and RESTORE on every line the simulator speaks: the same columns, the line's states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { s3Properties, snapshotTimestamp, waitJob } from '../../support/jobs.js';
import { walkStates } from './steps.js';
import { testSimulator } from '../../support/simulator.js';

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
});
afterAll(() => s3.stop());

const SEED = `CREATE DATABASE d1;
CREATE TABLE d1.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10"), PARTITION p2 VALUES LESS THAN ("20")) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO d1.t VALUES (1, 'a'), (11, 'b'), (12, 'c');`;

describe.each([
  ['2.0', ['PENDING', 'SNAPSHOTING']],
  ['2.1', ['PENDING', 'SNAPSHOTING']],
  ['3.0', ['PENDING', 'CREATING', 'SNAPSHOTING']],
  ['4.0', ['PENDING', 'CREATING', 'SNAPSHOTING']],
])('Doris %s', (version, restoreStart) => {
  it('backs up, lists, and restores a partition subset into a second cluster of the same line', async () => {
    const source = await testSimulator({ version, seedSql: SEED, timeScale: 2000 });
    const target = await testSimulator({ version, timeScale: 2000 });
    const src = await source.connect();
    const dst = await target.connect();
    try {
      const repo = `CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/v${version.replace('.', '')}-${Date.now()}" ${s3Properties(s3)}`;
      await src.query(repo);
      await dst.query(repo.replace('CREATE REPOSITORY', 'CREATE READ ONLY REPOSITORY'));
      await src.query('BACKUP SNAPSHOT d1.s1 TO r ON (t PARTITION (p2))');
      const backup = await waitJob(src, 'BACKUP', 'd1');
      expect(Object.keys(backup)).toHaveLength(14);
      expect(backup).toMatchObject({ State: 'FINISHED', BackupObjs: '[d1.tPARTITIONS (p2)]' });
      await dst.query('CREATE DATABASE d1');
      await dst.query('ADMIN SIM PAUSE CLOCK');
      await dst.query(`RESTORE SNAPSHOT d1.s1 FROM r PROPERTIES ("backup_timestamp" = "${await snapshotTimestamp(dst, 'r', 's1')}", "replication_num" = "1")`);
      expect(await walkStates(dst, 'SHOW RESTORE FROM d1', 'SNAPSHOTING')).toEqual(restoreStart);
      await dst.query('ADMIN SIM RESUME CLOCK');
      expect((await waitJob(dst, 'RESTORE', 'd1')).State).toBe('FINISHED');
      expect(await target.query('SELECT * FROM d1.t ORDER BY k')).toEqual([{ k: '11', v: 'b' }, { k: '12', v: 'c' }]);
      expect((await target.query('SHOW PARTITIONS FROM d1.t')).map((p) => p.PartitionName)).toEqual(['p2']);
    } finally {
      await src.end();
      await dst.end();
      await source.dispose();
      await target.dispose();
    }
  });
});
