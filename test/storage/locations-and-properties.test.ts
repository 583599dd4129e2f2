// Locations, presets and Doris repository properties by backend and version (pure).
import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/storage/credentials.js';
import { parseLocation, settingsFromLocation } from '../../src/storage/location.js';
import { repositoryDefinition } from '../../src/storage/properties.js';
import { snapshotsFromKeys } from '../../src/storage/layout.js';

const V21 = { major: 2, minor: 1, patch: 7 };
const V30 = { major: 3, minor: 0, patch: 3 };
const V40 = { major: 4, minor: 0, patch: 1 };

describe('locations', () => {
  it('parses the three schemes', () => {
    expect(parseLocation('s3://my-bucket/a/b/')).toEqual({ backend: 's3', bucket: 'my-bucket', prefix: 'a/b' });
    expect(parseLocation('azure://acct1/backups/x')).toEqual({ backend: 'azure', account: 'acct1', container: 'backups', prefix: 'x' });
    expect(parseLocation('hdfs://nn1:8020/doris/repo')).toEqual({ backend: 'hdfs', namenode: 'nn1:8020', path: 'doris/repo' });
  });

  it.each([
    ['bucket', 'not a URL'],
    ['gs://b/p', "unsupported scheme 'gs'"],
    ['s3://B_A_D/p', 'not a valid bucket name'],
    ['azure://acct1', 'give the container after the account'],
    ['hdfs://nn:8020', 'give a directory after the namenode'],
  ])('refuses %s with one line naming the fix', (text, fragment) => {
    expect(() => parseLocation(text)).toThrow(fragment);
    try {
      parseLocation(text);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('fills endpoint, region and addressing from provider presets', () => {
    expect(settingsFromLocation('s3://bk1/p')).toMatchObject({ endpoint: 'https://s3.us-east-1.amazonaws.com', region: 'us-east-1', pathStyle: false, provider: 'aws' });
    expect(settingsFromLocation('s3://bk1/p', { s3Provider: 'oss', s3Region: 'cn-shanghai' })).toMatchObject({ endpoint: 'https://oss-cn-shanghai.aliyuncs.com', pathStyle: false });
    expect(settingsFromLocation('s3://bk1/p', { s3Provider: 'cos', s3Region: 'ap-guangzhou' })).toMatchObject({ endpoint: 'https://cos.ap-guangzhou.myqcloud.com' });
    expect(settingsFromLocation('s3://bk1/p', { s3Provider: 'gcs' })).toMatchObject({ endpoint: 'https://storage.googleapis.com', region: 'US' });
    expect(settingsFromLocation('s3://bk1/p', { s3Endpoint: 'http://minio:9000' })).toMatchObject({ provider: 'other', pathStyle: true });
    expect(() => settingsFromLocation('s3://bk1/p', { s3Provider: 'minio' })).toThrow('needs --s3-endpoint');
    expect(settingsFromLocation('azure://acct1/cont1/p')).toMatchObject({ endpoint: 'https://acct1.blob.core.windows.net', accountKeyEnv: 'AZURE_STORAGE_KEY' });
  });
});

describe('repository properties', () => {
  const s3 = settingsFromLocation('s3://bk1/mig', { s3Endpoint: 'http://minio:9000' });
  const secrets = { accessKey: 'AKIA-REAL', secretKey: 'real-secret-value' };

  it('renders S3 with placeholders for review and real values only when asked', () => {
    const review = repositoryDefinition(s3, V21);
    expect(review).toEqual({
      storageType: 'S3',
      location: 's3://bk1/mig',
      properties: { 's3.endpoint': 'http://minio:9000', 's3.region': 'us-east-1', 's3.access_key': '${AWS_ACCESS_KEY_ID}', 's3.secret_key': '${AWS_SECRET_ACCESS_KEY}', 's3.session_token': '${AWS_SESSION_TOKEN}', use_path_style: 'true' },
    });
    expect(JSON.stringify(review)).not.toContain('real-secret-value');
    expect(repositoryDefinition(s3, V21, secrets).properties['s3.secret_key']).toBe('real-secret-value');
  });

  it('uses the Azure form each line understands, and refuses what a line cannot do', () => {
    const public_ = settingsFromLocation('azure://acct1/cont1/mig');
    const custom = settingsFromLocation('azure://acct1/cont1/mig', { azureEndpoint: 'http://127.0.0.1:10000/acct1' });
    expect(() => repositoryDefinition(public_, V21)).toThrow(/Doris 2\.1 cannot use Azure Blob/);
    expect(repositoryDefinition(public_, V30)).toEqual({
      storageType: 'S3',
      location: 's3://cont1/mig',
      properties: { 's3.endpoint': 'https://acct1.blob.core.windows.net', 's3.region': 'dummy_region', 's3.access_key': 'acct1', 's3.secret_key': '${AZURE_STORAGE_KEY}', provider: 'AZURE' },
    });
    expect(() => repositoryDefinition(custom, V30)).toThrow(/ignores --azure-endpoint/);
    expect(repositoryDefinition(custom, V40).properties).toEqual({ 'azure.endpoint': 'http://127.0.0.1:10000/acct1', 'azure.account_name': 'acct1', 'azure.account_key': '${AZURE_STORAGE_KEY}', provider: 'AZURE' });
  });

  it('passes HDFS user and Kerberos settings through', () => {
    const hdfs = settingsFromLocation('hdfs://nn1:8020/doris/repo', { hdfsUser: 'doris', hdfsProperties: { 'hadoop.security.authentication': 'kerberos', 'hadoop.kerberos.principal': 'doris@EXAMPLE.COM' } });
    expect(repositoryDefinition(hdfs, V21)).toEqual({
      storageType: 'HDFS',
      location: 'hdfs://nn1:8020/doris/repo',
      properties: { 'fs.defaultFS': 'hdfs://nn1:8020', 'hadoop.username': 'doris', 'hadoop.security.authentication': 'kerberos', 'hadoop.kerberos.principal': 'doris@EXAMPLE.COM' },
    });
  });

  it('reads credentials from the named variables and names a missing one', () => {
    expect(readCredentials(s3, { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toEqual({ accessKey: 'a', secretKey: 'b' });
    expect(() => readCredentials(s3, { AWS_ACCESS_KEY_ID: 'a' })).toThrow('needs the secret key in the environment variable AWS_SECRET_ACCESS_KEY');
    expect(() => readCredentials(settingsFromLocation('azure://acct1/cont1/p'), {})).toThrow('AZURE_STORAGE_KEY');
  });
});

describe('layout', () => {
  it('groups repository keys into snapshots, complete once an __info_ file exists', () => {
    const md5 = 'a'.repeat(32);
    const keys = [
      { key: '__palo_repository_r/__repo_info', size: 10 },
      { key: `__palo_repository_r/__ss_done/__meta.${md5}`, size: 5 },
      { key: `__palo_repository_r/__ss_done/__info_2026-01-01-00-00-00.${md5}`, size: 7 },
      { key: `__palo_repository_r/__ss_half/__ss_content/__db_1/x.${md5}`, size: 100 },
    ];
    expect(snapshotsFromKeys('r', keys)).toEqual([
      { label: 'done', timestamps: ['2026-01-01-00-00-00'], files: 2, bytes: 12 },
      { label: 'half', timestamps: [], files: 1, bytes: 100 },
    ]);
  });
});
