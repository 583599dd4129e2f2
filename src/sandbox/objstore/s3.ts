// S3-compatible object store (AWS, MinIO, s3rver, ...) through @aws-sdk/client-s3.
import type { ObjectInfo, ObjStore } from './types.js';
import { prefixDir, underPrefix } from './types.js';

export interface S3Config {
  /** With or without a scheme; without one `http://` is assumed, as Doris's FE client does. */
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  sessionToken?: string;
  pathStyle: boolean;
  bucket: string;
  prefix: string;
}

export async function s3Store(cfg: S3Config): Promise<ObjStore> {
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({
    endpoint: /^\w+:\/\//.test(cfg.endpoint) ? cfg.endpoint : `http://${cfg.endpoint}`,
    region: cfg.region,
    forcePathStyle: cfg.pathStyle,
    credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey, sessionToken: cfg.sessionToken },
    // s3rver and many S3-compatible servers reject the newer default checksums (toolchain.md).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Retry transient errors (a keep-alive socket reset) as Doris's S3 client does; a wrong
    // endpoint or key still fails within a few hundred milliseconds.
    maxAttempts: 3,
  });
  const key = (k: string): string => underPrefix(cfg.prefix, k);
  return {
    async put(k, body) {
      await client.send(new s3.PutObjectCommand({ Bucket: cfg.bucket, Key: key(k), Body: body }));
    },
    async get(k) {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: cfg.bucket, Key: key(k) }));
      if (!out.Body) throw new Error(`empty body for ${key(k)}`);
      return Buffer.from(await out.Body.transformToByteArray());
    },
    async list(prefix) {
      const out: ObjectInfo[] = [];
      const base = prefixDir(cfg.prefix);
      // ListObjects (v1) paged by Marker (the last key seen): s3rver ciphers v2 continuation
      // tokens with DES, which Node's OpenSSL 3 refuses, so any v2 listing of more than 1,000
      // keys fails there with a 500. Every S3 still serves v1.
      let marker: string | undefined;
      for (;;) {
        const page = await client.send(new s3.ListObjectsCommand({ Bucket: cfg.bucket, Prefix: base + prefix, ...(marker ? { Marker: marker } : {}) }));
        for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key.slice(base.length), size: o.Size ?? 0 });
        marker = page.Contents?.at(-1)?.Key;
        if (!page.IsTruncated || !marker) return out;
      }
    },
    async head(k) {
      try {
        const out = await client.send(new s3.HeadObjectCommand({ Bucket: cfg.bucket, Key: key(k) }));
        return { key: k, size: out.ContentLength ?? 0 };
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
        throw e;
      }
    },
    async delete(k) {
      await client.send(new s3.DeleteObjectCommand({ Bucket: cfg.bucket, Key: key(k) }));
    },
  };
}
