// The repository bucket on MinIO: created when missing (Doris never creates buckets, and the
// compose file has no one-shot setup container, so `docker compose up --wait` stays simple).
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { RealDorisEnv } from './env.js';

export async function ensureBucket(e: RealDorisEnv): Promise<void> {
  const s3 = new S3Client({
    endpoint: e.s3Endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: e.accessKey, secretAccessKey: e.secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: e.bucket }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw new Error(`cannot reach bucket ${e.bucket} at ${e.s3Endpoint}: ${String(err)}`);
    await s3.send(new CreateBucketCommand({ Bucket: e.bucket }));
  } finally {
    s3.destroy();
  }
}
