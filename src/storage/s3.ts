// The S3 interface (AWS, MinIO, OSS, COS, GCS, ...) through @aws-sdk/client-s3.
import { S3Client, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RepositorySettings } from './settings.js';
import { StoreError, type ObjectStore } from './backend.js';
import type { RepositorySecrets } from './properties.js';

type S3Settings = Extract<RepositorySettings, { backend: 's3' }>;

/** Turns an SDK or network error into one line with the likely fix. */
export function explainS3Error(e: unknown, settings: S3Settings, bucket: string): StoreError {
  const err = e as { name?: string; code?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const code = err.name ?? err.Code ?? err.code ?? '';
  const net = err.code ?? err.cause?.code ?? (/(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)/.exec(err.message ?? '')?.[1] ?? '');
  if (net === 'ENOTFOUND' || net === 'EAI_AGAIN') {
    return new StoreError(settings.pathStyle ? `cannot resolve the endpoint ${settings.endpoint}: check --s3-endpoint` : `cannot resolve ${bucket}.<endpoint> (virtual-host addressing): MinIO and most S3-compatible servers need --s3-path-style, or check --s3-endpoint`);
  }
  if (net === 'ECONNREFUSED' || net === 'ECONNRESET' || net === 'ETIMEDOUT' || code === 'TimeoutError') return new StoreError(`cannot connect to ${settings.endpoint} (${net || code}): check --s3-endpoint and that the server is up`);
  if (code === 'NoSuchBucket') return new StoreError(`bucket ${bucket} does not exist at ${settings.endpoint}: create it (Doris does not) or fix the location`);
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch') return new StoreError(`the access key or secret is wrong (${code}): check ${settings.accessKeyEnv} and ${settings.secretKeyEnv}`);
  // Clock skew and bad keys are 403s too: name them before the generic permission message.
  if (code === 'RequestTimeTooSkewed') return new StoreError('this machine\'s clock differs too much from the server\'s (RequestTimeTooSkewed): fix the clock (NTP)');
  if (code === 'AccessDenied' || err.$metadata?.httpStatusCode === 403) return new StoreError(`access denied: the key needs s3:PutObject, s3:GetObject, s3:DeleteObject and s3:ListBucket on ${bucket}`);
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || code === 'IllegalLocationConstraintException') return new StoreError(`wrong region ${settings.region} for bucket ${bucket} (${code}): set --s3-region to the bucket's region`);
  return new StoreError(`${code || 'error'}: ${(err.message ?? String(e)).split('\n')[0]}`);
}

export function s3ObjectStore(settings: S3Settings, location: { bucket: string; prefix: string }, secrets: RepositorySecrets): ObjectStore {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    credentials: { accessKeyId: secrets.accessKey ?? '', secretAccessKey: secrets.secretKey ?? '', ...(secrets.sessionToken ? { sessionToken: secrets.sessionToken } : {}) },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const base = location.prefix ? `${location.prefix}/` : '';
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw explainS3Error(e, settings, location.bucket);
    }
  };
  return {
    put: (key, body) => wrap(async () => void (await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: base + key, Body: body })))),
    get: (key) => wrap(async () => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: base + key }))).Body!.transformToByteArray())),
    list: (prefix) =>
      wrap(async () => {
        const out: { key: string; size: number }[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: base + prefix, ContinuationToken: token }));
          for (const o of page.Contents ?? []) out.push({ key: o.Key!.slice(base.length), size: o.Size ?? 0 });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out;
      }),
    delete: (key) => wrap(async () => void (await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: base + key })))),
  };
}
