// Counting one snapshot's files reads that snapshot's folder only, so it costs the same in a
// repository holding thousands of files from earlier jobs (on s3rver, any listing past 1,000
// keys fails, so reading the whole repository here would throw).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { openRepository } from '../../src/storage/backend.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { s3ObjectStore } from '../../src/storage/s3.js';

let s3: S3Server;
beforeAll(async () => void (s3 = await startS3Server({ buckets: ['doris-migrate'] })));
afterAll(async () => s3.stop());

it('counts a snapshot among 1,100 other files without listing them', async () => {
  const settings = settingsFromLocation('s3://doris-migrate/many', { s3Endpoint: s3.endpoint, s3PathStyle: true });
  const secrets = { accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey };
  const store = s3ObjectStore(settings as Extract<typeof settings, { backend: 's3' }>, { bucket: 'doris-migrate', prefix: 'many' }, secrets);
  const root = '__palo_repository_mig/__ss_';
  const others = Array.from({ length: 1100 }, (_, i) => `${root}earlier_${i % 10}/__ss_content/f${i}.dat`);
  for (let i = 0; i < others.length; i += 50) await Promise.all(others.slice(i, i + 50).map((k) => store.put(k, Buffer.from('x'))));
  // A label that is a prefix of another must not pick up the other's files.
  await store.put(`${root}earlier_1x/__ss_content/g.dat`, Buffer.from('zz'));
  await store.put(`${root}earlier_1/__info_2026-11-24-10-00-00.${'0'.repeat(32)}`, Buffer.from('{}'));
  const repo = await openRepository(settings, secrets);
  expect(await repo.snapshotFiles('mig', 'earlier_1')).toEqual({ label: 'earlier_1', timestamps: ['2026-11-24-10-00-00'], files: 111, bytes: 112 });
  expect(await repo.snapshotFiles('mig', 'absent')).toBeUndefined();
}, 120_000);
