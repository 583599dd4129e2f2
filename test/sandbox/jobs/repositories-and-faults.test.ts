// Repositories on S3, Azure Blob and HDFS by version; job faults; restart mid-job; job history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, startS3Server, type AzuriteServer, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, snapshotTimestamp, waitFor, waitJob } from '../../support/jobs.js';
import { failure, testSimulator } from '../../support/simulator.js';

let s3: S3Server;
let azure: AzuriteServer;
beforeAll(async () => {
  [s3, azure] = await Promise.all([startS3Server({ buckets: ['doris-migrate'] }), startAzurite({ containers: ['doris-migrate'] })]);
});
afterAll(async () => {
  await s3.stop();
  await azure.stop();
});

const SEED = `
  CREATE DATABASE app;
  CREATE TABLE app.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1", "colocate_with" = "grp");
  INSERT INTO app.t VALUES (1, 'a'), (2, 'b'), (3, 'c');
`;

describe('repositories', () => {
  it('show their 8 columns and fail like Doris when the store cannot be reached', async () => {
    const sim = await testSimulator({ version: '2.1' });
    const c = await sim.connect();
    try {
      await c.query(`CREATE REPOSITORY ok_repo WITH S3 ON LOCATION "s3://doris-migrate/r1" ${s3Properties(s3)}`);
      const dead = s3Properties(s3).replace(s3.endpoint, 'http://127.0.0.1:9');
      // A storage error while initialising fails the statement and registers nothing (Part B §2.5).
      const refused = await failure(c, `CREATE REPOSITORY dead_repo WITH S3 ON LOCATION "s3://doris-migrate/r1" ${dead}`);
      expect(refused.message).toMatch(/^errCode = 2, detailMessage = Failed to create repository: failed to list s3:\/\/doris-migrate\/r1\/__palo_repository_dead_repo\/__repo_info: .*ECONNREFUSED/);
      const repos = await rowsOf(c, 'SHOW REPOSITORIES');
      expect(Object.keys(repos[0]!)).toEqual(['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'Type', 'ErrMsg']);
      expect(repos.map((r) => [r.RepoName, r.Type, r.Broker, r.ErrMsg])).toEqual([['ok_repo', 'S3', '-', null]]);
      expect((await failure(c, `CREATE REPOSITORY ok_repo WITH S3 ON LOCATION "s3://doris-migrate/r1" ${s3Properties(s3)}`)).message).toContain('repository with same name already exist: ok_repo');
      expect((await failure(c, `CREATE REPOSITORY bad WITH S3 ON LOCATION "oss://doris-migrate/r1" ${s3Properties(s3)}`)).message).toContain("Invalid export path. please use valid 's3://' path.");
      expect((await failure(c, 'CREATE REPOSITORY `9bad` WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.endpoint" = "x")')).message).toContain("Incorrect repository name '9bad'");
      expect((await failure(c, 'CREATE REPOSITORY noend WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.region" = "x")')).message).toContain('Missing [s3.endpoint] in properties.');
      await c.query('DROP REPOSITORY ok_repo');
      expect((await failure(c, 'DROP REPOSITORY ok_repo')).message).toContain('Repository does not exist');
      expect(await rowsOf(c, 'SHOW REPOSITORIES')).toEqual([]);
    } finally {
      await c.end();
      await sim.dispose();
    }
  });

  it('adopt an existing __repo_info so a second cluster shares the snapshots', async () => {
    const a = await testSimulator({ version: '2.1' });
    const b = await testSimulator({ version: '3.0' });
    try {
      await a.query(`CREATE REPOSITORY shared WITH S3 ON LOCATION "s3://doris-migrate/shared" ${s3Properties(s3)}`);
      await b.query(`CREATE READ ONLY REPOSITORY shared WITH S3 ON LOCATION "s3://doris-migrate/shared" ${s3Properties(s3)}`);
      const [ra] = await a.query('SHOW REPOSITORIES');
      const [rb] = await b.query('SHOW REPOSITORIES');
      expect(rb!.CreateTime).toBe(ra!.CreateTime);
      expect(rb!.IsReadOnly).toBe('true');
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it('carry a snapshot through Azurite between two 4.0 clusters, and refuse a wrong Azure key', async () => {
    const props = (key: string) => `PROPERTIES ("azure.endpoint" = "${azure.endpoint}", "azure.account_name" = "${azure.account}", "azure.account_key" = "${key}", "provider" = "AZURE")`;
    const source = await testSimulator({ version: '4.0', seedSql: SEED, timeScale: 2000 });
    const target = await testSimulator({ version: '4.0', timeScale: 2000 });
    const src = await source.connect();
    const dst = await target.connect();
    try {
      await src.query(`CREATE REPOSITORY az WITH S3 ON LOCATION "s3://${azure.container}/az" ${props(azure.accountKey)}`);
      expect((await rowsOf(src, 'SHOW REPOSITORIES'))[0]!.Type).toBe('AZURE');
      const wrong = Buffer.from('not-the-key').toString('base64');
      const refused = await failure(dst, `CREATE REPOSITORY az_wrong WITH S3 ON LOCATION "s3://${azure.container}/az" ${props(wrong)}`);
      expect(refused.message).toContain('Failed to create repository: failed to list s3://doris-migrate/az/__palo_repository_az_wrong/__repo_info: Server failed to authenticate the request');
      await dst.query(`CREATE READ ONLY REPOSITORY az WITH S3 ON LOCATION "s3://${azure.container}/az" ${props(azure.accountKey)}`);
      await src.query('BACKUP SNAPSHOT app.az_1 TO az');
      expect((await waitJob(src, 'BACKUP', 'app')).State).toBe('FINISHED');
      await dst.query('CREATE DATABASE app');
      const ts = await snapshotTimestamp(dst, 'az', 'az_1');
      await dst.query(`RESTORE SNAPSHOT app.az_1 FROM az PROPERTIES ("backup_timestamp" = "${ts}", "replication_num" = "1", "reserve_colocate" = "true")`);
      expect((await waitJob(dst, 'RESTORE', 'app')).State).toBe('FINISHED');
      expect(await target.query('SELECT * FROM app.t ORDER BY k')).toEqual(await source.query('SELECT * FROM app.t ORDER BY k'));
      const [ddl] = await target.query('SHOW CREATE TABLE app.t');
      expect(ddl!['Create Table']).toContain('"colocate_with" = "grp"');
    } finally {
      await src.end();
      await dst.end();
      await source.dispose();
      await target.dispose();
    }
  });

  it('on 3.0 an Azure repository goes to the public endpoint whatever is configured, and fails here', async () => {
    const sim = await testSimulator({ version: '3.0' });
    const c = await sim.connect();
    try {
      const e = await failure(c, `CREATE REPOSITORY az WITH S3 ON LOCATION "s3://${azure.container}/az" PROPERTIES ("s3.endpoint" = "${azure.endpoint}", "s3.region" = "dummy", "s3.access_key" = "${azure.account}", "s3.secret_key" = "${azure.accountKey}", "provider" = "AZURE")`);
      expect(e.message).toContain(`Failed to create repository: failed to list s3://${azure.container}/az/__palo_repository_az/__repo_info: getaddrinfo`);
      expect(e.message).toContain(`${azure.account}.blob.core.windows.net`);
    } finally {
      await c.end();
      await sim.dispose();
    }
  }, 30_000);

  it('store hdfs:// repositories in a local directory and round-trip through them', async () => {
    const sim = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    const c = await sim.connect();
    try {
      await c.query('CREATE REPOSITORY h WITH HDFS ON LOCATION "hdfs://namenode:8020/doris/repo" PROPERTIES ("fs.defaultFS" = "hdfs://namenode:8020", "hadoop.username" = "doris")');
      await c.query('BACKUP SNAPSHOT app.h_1 TO h');
      expect((await waitJob(c, 'BACKUP', 'app')).State).toBe('FINISHED');
      expect((await rowsOf(c, 'SHOW SNAPSHOT ON h'))[0]).toMatchObject({ Snapshot: 'h_1', Status: 'OK' });
      expect((await rowsOf(c, 'SHOW REPOSITORIES'))[0]!.Type).toBe('HDFS');
    } finally {
      await c.end();
      await sim.dispose();
    }
  });
});

describe('rules and faults', () => {
  it('cloud mode refuses BACKUP and RESTORE', async () => {
    const sim = await testSimulator({ version: 'cloud', seedSql: SEED });
    const c = await sim.connect();
    try {
      await c.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/cloud" ${s3Properties(s3)}`);
      expect((await failure(c, 'BACKUP SNAPSHOT app.c1 TO r')).message).toContain('BACKUP and RESTORE are not supported by the cloud mode yet');
      expect((await failure(c, 'RESTORE SNAPSHOT app.c1 FROM r PROPERTIES ("backup_timestamp" = "x")')).message).toContain('BACKUP and RESTORE are not supported by the cloud mode yet');
    } finally {
      await c.end();
      await sim.dispose();
    }
  });

  it('fails the next job at a chosen state, and a repository can become unreachable and come back', async () => {
    const sim = await testSimulator({ version: '2.1', seedSql: SEED, timeScale: 2000 });
    const c = await sim.connect();
    try {
      await c.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/faults" ${s3Properties(s3)}`);
      await c.query("ADMIN SIM FAIL JOB app AT UPLOADING WITH 'upload to s3 failed: connection reset'");
      await c.query('BACKUP SNAPSHOT app.f_1 TO r');
      expect(await waitJob(c, 'BACKUP', 'app')).toMatchObject({ State: 'CANCELLED', Status: '[COMMON_ERROR, msg: upload to s3 failed: connection reset]' });
      await c.query('ADMIN SIM SET REPOSITORY r UNREACHABLE');
      await c.query('BACKUP SNAPSHOT app.f_2 TO r').catch(() => undefined);
      expect((await rowsOf(c, 'SHOW SNAPSHOT ON r'))[0]!.Status).toMatch(/^ERROR: Failed to get info: /);
      await c.query('ADMIN SIM SET REPOSITORY r REACHABLE');
      await c.query('BACKUP SNAPSHOT app.f_3 TO r');
      expect((await waitJob(c, 'BACKUP', 'app')).State).toBe('FINISHED');
      const history = sim.jobs.history().map((h) => [h.statement, h.label, h.outcome === 'submitted' ? 'submitted' : 'refused']);
      expect(history).toEqual([['BACKUP', 'f_1', 'submitted'], ['BACKUP', 'f_2', 'refused'], ['BACKUP', 'f_3', 'submitted']]);
      expect((await rowsOf(c, 'ADMIN SIM SHOW JOB HISTORY')).map((r) => r.Label)).toEqual(['f_1', 'f_2', 'f_3']);
    } finally {
      await c.end();
      await sim.dispose();
    }
  });

  it('a job running when the simulator stops carries on after a restart', async () => {
    const first = await testSimulator({ version: '3.0', seedSql: SEED, timeScale: 2000 });
    await first.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/restart" ${s3Properties(s3)}`);
    await first.query('ADMIN SIM PAUSE CLOCK');
    await first.query('BACKUP SNAPSHOT app.rs_1 TO r');
    await first.query('ADMIN SIM ADVANCE CLOCK 4');
    const c1 = await first.connect();
    await waitFor(c1, 'SHOW BACKUP FROM app', (rows) => rows[0]!.State === 'SNAPSHOTING');
    await c1.end();
    await first.stop();
    const second = await testSimulator({ version: '3.0', dataDir: first.dataDir, timeScale: 2000 });
    try {
      await second.query('ADMIN SIM RESUME CLOCK');
      const c2 = await second.connect();
      expect((await waitJob(c2, 'BACKUP', 'app')).State).toBe('FINISHED');
      expect((await rowsOf(c2, 'SHOW SNAPSHOT ON r WHERE SNAPSHOT = "rs_1"'))[0]!.Status).toBe('OK');
      await c2.end();
      expect(second.jobs.history().filter((h) => h.statement === 'BACKUP')).toHaveLength(1);
    } finally {
      await second.dispose();
    }
  });
});
