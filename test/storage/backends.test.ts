// Preflight, snapshot listing, counting and cleanup against s3rver and Azurite on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, startS3Server, type AzuriteServer, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { openRepository } from '../../src/storage/backend.js';
import { settingsFromLocation } from '../../src/storage/location.js';

let s3: S3Server;
let azure: AzuriteServer;
beforeAll(async () => {
  [s3, azure] = await Promise.all([startS3Server({ buckets: ['doris-migrate'] }), startAzurite({ containers: ['backups'] })]);
});
afterAll(async () => {
  await s3.stop();
  await azure.stop();
});

const s3Secrets = () => ({ accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey });
const s3Settings = (location: string, endpoint = s3.endpoint) => settingsFromLocation(location, { s3Endpoint: endpoint, s3PathStyle: true });
const refusal = async (p: Promise<unknown>): Promise<{ message: string; exitCode: number }> => {
  try {
    await p;
  } catch (e) {
    return e as { message: string; exitCode: number };
  }
  throw new Error('expected a refusal');
};

describe('S3-compatible', () => {
  it('passes preflight by writing, reading and deleting a probe, leaving nothing behind', async () => {
    const repo = await openRepository(s3Settings('s3://doris-migrate/pf'), s3Secrets());
    expect(await repo.preflight('mig')).toEqual({ location: 's3://doris-migrate/pf', checked: 'ok', snapshots: [] });
    const listing = await fetch(`${s3.endpoint}/doris-migrate?list-type=2&prefix=pf/`).then((r) => r.text());
    expect(listing).not.toContain('<Key>');
  });

  it('finds an existing snapshot under the prefix, counts its files and cleans it up on request', async () => {
    const settings = s3Settings('s3://doris-migrate/old');
    const repo = await openRepository(settings, s3Secrets());
    const { s3ObjectStore } = await import('../../src/storage/s3.js');
    const store = s3ObjectStore(settings as Extract<typeof settings, { backend: 's3' }>, { bucket: 'doris-migrate', prefix: 'old' }, s3Secrets());
    const md5 = 'b'.repeat(32);
    await store.put(`__palo_repository_mig/__ss_mig_sales_1/__meta.${md5}`, Buffer.from('meta'));
    await store.put(`__palo_repository_mig/__ss_mig_sales_1/__info_2026-11-24-10-00-00.${md5}`, Buffer.from('{}'));
    await store.put(`__palo_repository_mig/__ss_mig_sales_1/__ss_content/__db_1/__tbl_2/__part_3/__idx_2/__4/x.dat.${md5}`, Buffer.from('0123456789'));
    await store.put(`__palo_repository_mig/__ss_leftover/__ss_content/y.dat.${md5}`, Buffer.from('zz'));
    const pf = await repo.preflight('mig');
    expect(pf.snapshots).toEqual([
      { label: 'leftover', timestamps: [], files: 1, bytes: 2 },
      { label: 'mig_sales_1', timestamps: ['2026-11-24-10-00-00'], files: 3, bytes: 16 },
    ]);
    expect(await repo.snapshotFiles('mig', 'mig_sales_1')).toMatchObject({ files: 3, bytes: 16 });
    expect(await repo.snapshotFiles('mig', 'absent')).toBeUndefined();
    expect(await repo.deleteSnapshot('mig', 'mig_sales_1')).toBe(3);
    expect((await repo.listSnapshots('mig')).map((s) => s.label)).toEqual(['leftover']);
  });

  it('refuses with one line when the bucket is missing', async () => {
    const repo = await openRepository(s3Settings('s3://no-such-bucket/x'), s3Secrets());
    const e = await refusal(repo.preflight('mig'));
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe(`repository s3://no-such-bucket/x: bucket no-such-bucket does not exist at ${s3.endpoint}: create it (Doris does not) or fix the location`);
  });

  it('refuses with one line when the server is down', async () => {
    const stopped = await startS3Server({ buckets: ['doris-migrate'] });
    const endpoint = stopped.endpoint;
    await stopped.stop();
    const repo = await openRepository(s3Settings('s3://doris-migrate/x', endpoint), s3Secrets());
    const e = await refusal(repo.preflight('mig'));
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(new RegExp(`^repository s3://doris-migrate/x: cannot connect to ${endpoint} \\(ECONNREFUSED\\): check --s3-endpoint and that the server is up$`));
  });

  it('refuses an unknown access key with one line naming the variables', async () => {
    const repo = await openRepository(s3Settings('s3://doris-migrate/x'), { accessKey: 'NOT-A-KEY', secretKey: 'whatever' });
    const e = await refusal(repo.preflight('mig'));
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe('repository s3://doris-migrate/x: the access key or secret is wrong (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  });

  it('names clock skew rather than a missing permission, though both are 403s', async () => {
    const { S3ServiceException } = await import('@aws-sdk/client-s3');
    const { explainS3Error } = await import('../../src/storage/s3.js');
    const settings = s3Settings('s3://doris-migrate/x') as Extract<ReturnType<typeof s3Settings>, { backend: 's3' }>;
    const skew = new S3ServiceException({ name: 'RequestTimeTooSkewed', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'too skewed' });
    expect(explainS3Error(skew, settings, 'doris-migrate').message).toContain('fix the clock (NTP)');
    const denied = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' });
    expect(explainS3Error(denied, settings, 'doris-migrate').message).toContain('s3:PutObject');
  });

  it('suggests path-style addressing when virtual-host names do not resolve', async () => {
    const settings = settingsFromLocation('s3://doris-migrate/x', { s3Endpoint: s3.endpoint.replace('127.0.0.1', 'localhost'), s3PathStyle: false });
    const e = await refusal((await openRepository(settings, s3Secrets())).preflight('mig'));
    expect(e.message).toContain('need --s3-path-style');
  });
});

describe('Azure Blob', () => {
  const settings = () => settingsFromLocation('azure://devstoreaccount1/backups/mig', { azureEndpoint: azure.endpoint });

  it('passes preflight with the right key', async () => {
    const repo = await openRepository(settings(), { azureKey: azure.accountKey });
    expect((await repo.preflight('mig')).checked).toBe('ok');
  });

  it('refuses a wrong key with one line naming the variable', async () => {
    const repo = await openRepository(settings(), { azureKey: Buffer.from('wrong-key').toString('base64') });
    const e = await refusal(repo.preflight('mig'));
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(/^repository azure:\/\/devstoreaccount1\/backups\/mig: the storage account key was refused[^:]* \(\w+\): check AZURE_STORAGE_KEY\b/);
    expect(e.message).not.toContain('\n');
  });

  it('tells a firewall rule and a missing permission apart from a wrong key', async () => {
    const { RestError } = await import('@azure/storage-blob');
    const { explainAzureError } = await import('../../src/storage/azure.js');
    const s = settings() as Extract<ReturnType<typeof settings>, { backend: 'azure' }>;
    const explain = (code: string) => explainAzureError(new RestError('refused', { code, statusCode: 403 }), s, 'backups').message;
    expect(explain('AuthorizationFailure')).toMatch(/check AZURE_STORAGE_KEY, and that the account's firewall allows/);
    expect(explain('AuthorizationPermissionMismatch')).toContain('missing permission');
    expect(explain('AuthenticationFailed')).toContain('check AZURE_STORAGE_KEY');
  });

  it('refuses with one line when the endpoint is down', async () => {
    const down = settingsFromLocation('azure://devstoreaccount1/backups/mig', { azureEndpoint: 'http://127.0.0.1:9/devstoreaccount1' });
    const e = await refusal((await openRepository(down, { azureKey: azure.accountKey })).preflight('mig'));
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe('repository azure://devstoreaccount1/backups/mig: cannot connect to http://127.0.0.1:9/devstoreaccount1: check --azure-endpoint and that the service is up');
  });

  it('refuses a missing container', async () => {
    const repo = await openRepository(settingsFromLocation('azure://devstoreaccount1/nocontainer/mig', { azureEndpoint: azure.endpoint }), { azureKey: azure.accountKey });
    expect((await refusal(repo.preflight('mig'))).message).toContain('container nocontainer does not exist');
  });
});

describe('HDFS', () => {
  it('states that it skips the check without WebHDFS', async () => {
    const repo = await openRepository(settingsFromLocation('hdfs://nn:8020/doris/repo'), {});
    expect(await repo.preflight('mig')).toMatchObject({ checked: 'skipped', note: expect.stringContaining('--webhdfs') });
  });

  it('reports an unreachable WebHDFS as a refusal', async () => {
    const repo = await openRepository(settingsFromLocation('hdfs://nn:8020/doris/repo', { webhdfs: 'http://127.0.0.1:9' }), {});
    expect((await refusal(repo.preflight('mig'))).message).toContain('cannot reach WebHDFS at http://127.0.0.1:9');
  });
});
