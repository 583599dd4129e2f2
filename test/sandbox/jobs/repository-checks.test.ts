// CREATE REPOSITORY's analysis checks by version, the background ping behind ErrMsg, and the
// object stores every repository writes through (real s3rver, Azurite and a local directory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureStore } from '../../../src/sandbox/objstore/azure.js';
import { localStore } from '../../../src/sandbox/objstore/local.js';
import { s3Store } from '../../../src/sandbox/objstore/s3.js';
import type { ObjStore } from '../../../src/sandbox/objstore/types.js';
import { startAzurite, startS3Server, type AzuriteServer, type S3Server } from '../../../src/sandbox/stack/object-servers.js';
import { rowsOf, s3Properties, waitFor } from '../../support/jobs.js';
import { failure, testSimulator } from '../../support/simulator.js';

let s3: S3Server;
let azure: AzuriteServer;
let dir: string;
beforeAll(async () => {
  [s3, azure] = await Promise.all([startS3Server({ buckets: ['doris-migrate'] }), startAzurite({ containers: ['doris-migrate'] })]);
  dir = mkdtempSync(join(tmpdir(), 'dm-objstore-'));
});
afterAll(async () => {
  await s3.stop();
  await azure.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('object stores', () => {
  const stores: [string, () => Promise<ObjStore>][] = [
    ['S3', () => s3Store({ endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey, pathStyle: true, bucket: 'doris-migrate', prefix: 'os/p' })],
    ['Azure', () => azureStore({ endpoint: azure.endpoint, account: azure.account, key: azure.accountKey, container: 'doris-migrate', prefix: 'os/p' })],
    ['local', () => Promise.resolve(localStore(join(dir, 'nn_8020', 'os')))],
  ];
  it.each(stores)('%s: put, list by prefix, head, get and delete under the location prefix', async (_, make) => {
    const store = await make();
    await store.put('a/x.1', Buffer.from('one'));
    await store.put('a/y.2', Buffer.from('two!'));
    await store.put('b/z', Buffer.from(''));
    expect(await store.list('a/')).toEqual([{ key: 'a/x.1', size: 3 }, { key: 'a/y.2', size: 4 }]);
    expect(await store.head('a/y.2')).toEqual({ key: 'a/y.2', size: 4 });
    expect(await store.head('a/missing')).toBeUndefined();
    expect((await store.get('a/x.1')).toString()).toBe('one');
    await store.delete('a/x.1');
    expect((await store.list('')).map((o) => o.key)).toEqual(['a/y.2', 'b/z']);
  });
});

describe('CREATE REPOSITORY checks', () => {
  it('refuses brokers, local file systems and bad 4.0 storage properties with Doris texts', async () => {
    const sim = await testSimulator({ version: '4.0' });
    const c = await sim.connect();
    try {
      const cases: [string, string][] = [
        ['CREATE REPOSITORY b WITH BROKER hdfs_broker ON LOCATION "hdfs://nn/p"', 'broker does not exist: hdfs_broker'],
        ['CREATE REPOSITORY l WITH LOCAL ON LOCATION "/tmp/x"', 'Local file system is not support now.'],
        ['CREATE REPOSITORY e WITH S3 ON LOCATION "s3://doris-migrate/e"', 'No supported storage type found. Please check your configuration.'],
        [`CREATE REPOSITORY k WITH S3 ON LOCATION "s3://doris-migrate/k" PROPERTIES ("s3.endpoint" = "${s3.endpoint}", "s3.access_key" = "only")`, 'Both the access key and the secret key must be set.'],
        ['CREATE REPOSITORY n WITH S3 ON LOCATION "s3://doris-migrate/n" PROPERTIES ("s3.access_key" = "a", "s3.secret_key" = "b")', 'Endpoint is not set. Please specify it explicitly.'],
        ['CREATE REPOSITORY h WITH HDFS ON LOCATION "hdfs://nn:8020/p" PROPERTIES ("hadoop.security.authentication" = "kerberos")', 'HDFS authentication type is kerberos, but principal or keytab is not set.'],
        [`CREATE REPOSITORY a WITH S3 ON LOCATION "ftp://c/p" PROPERTIES ("provider" = "AZURE", "azure.endpoint" = "${azure.endpoint}")`, 'Unsupported Azure URI scheme: ftp://c/p'],
      ];
      for (const [sql, text] of cases) expect((await failure(c, sql)).message, sql).toBe(`errCode = 2, detailMessage = ${text}`);
      // The newest line's aliases reach the same store as the s3.* keys.
      await c.query(`CREATE REPOSITORY alias WITH S3 ON LOCATION "s3://doris-migrate/alias" PROPERTIES ("endpoint" = "${s3.endpoint}", "region" = "${s3.region}", "access_key" = "${s3.accessKeyId}", "secret_key" = "${s3.secretAccessKey}", "s3.path-style-access" = "true")`);
      expect((await failure(c, 'DROP SNAPSHOT x FROM alias')).message).toContain('Syntax error');
    } finally {
      await c.end();
      await sim.dispose();
    }
  });

  it('2.0 checks no privilege for SHOW REPOSITORIES; 2.1 needs Admin_priv', async () => {
    for (const [version, allowed] of [['2.0', true], ['2.1', false]] as const) {
      const sim = await testSimulator({ version });
      try {
        await sim.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/priv" ${s3Properties(s3)}`);
        await sim.query("CREATE USER 'plain'@'%' IDENTIFIED BY 'pw'");
        const c = await sim.connect('plain', 'pw');
        if (allowed) expect((await rowsOf(c, 'SHOW REPOSITORIES')).map((r) => r.RepoName)).toEqual(['r']);
        else expect((await failure(c, 'SHOW REPOSITORIES')).message).toContain('(Admin_priv)');
        await c.end();
      } finally {
        await sim.dispose();
      }
    }
  });

  it('shows a failed background ping in ErrMsg, and clears it when the store is back', async () => {
    const sim = await testSimulator({ version: '3.0', timeScale: 2000 });
    const c = await sim.connect();
    try {
      await c.query(`CREATE REPOSITORY r WITH S3 ON LOCATION "s3://doris-migrate/ping" ${s3Properties(s3)}`);
      await c.query('ADMIN SIM PAUSE CLOCK');
      await c.query('ADMIN SIM SET REPOSITORY r UNREACHABLE');
      await c.query('ADMIN SIM ADVANCE CLOCK 601');
      const [down] = await waitFor(c, 'SHOW REPOSITORIES', (rows) => rows[0]!.ErrMsg !== null);
      expect(down!.ErrMsg).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: Connection refused: s3:\/\/doris-migrate\/ping$/);
      await c.query('ADMIN SIM SET REPOSITORY r REACHABLE');
      await c.query('ADMIN SIM ADVANCE CLOCK 601');
      expect((await waitFor(c, 'SHOW REPOSITORIES', (rows) => rows[0]!.ErrMsg === null))[0]!.RepoName).toBe('r');
    } finally {
      await c.end();
      await sim.dispose();
    }
  });
});
