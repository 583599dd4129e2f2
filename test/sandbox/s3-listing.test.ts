// The simulator's S3 store lists past 1,000 keys on s3rver (whose v2 continuation tokens need a
// cipher Node's OpenSSL 3 refuses): big repositories (many snapshots) stay readable.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { s3Store } from '../../src/sandbox/objstore/s3.js';
import { startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';

let s3: S3Server;
beforeAll(async () => void (s3 = await startS3Server({ buckets: ['doris-migrate'] })));
afterAll(async () => s3.stop());

it('lists every key under a prefix across pages, in order, and nothing outside it', async () => {
  const store = await s3Store({ endpoint: s3.endpoint, region: s3.region, accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey, pathStyle: true, bucket: 'doris-migrate', prefix: 'big' });
  const keys = Array.from({ length: 2050 }, (_, i) => `__ss_l/${String(i).padStart(5, '0')}`);
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, Buffer.from('x'))));
  await store.put('__ss_m/other', Buffer.from('y'));
  const listed = await store.list('__ss_l/');
  expect(listed.map((o) => o.key)).toEqual(keys);
  expect((await store.list('__ss_')).length).toBe(2051);
}, 120_000);
