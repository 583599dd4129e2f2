// The object stores a simulated repository writes to: S3 (any S3-compatible server), Azure Blob,
// and HDFS mapped to a local directory under the simulator's data dir (the simulator has no HDFS).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface ObjectInfo {
  key: string;
  size: number;
}

/** Keys are relative to the repository location (bucket/container and prefix already applied). */
export interface ObjStore {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(key: string): Promise<void>;
}

export interface S3Config {
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  sessionToken?: string;
  pathStyle: boolean;
  bucket: string;
  prefix: string;
}

const join2 = (prefix: string, key: string): string => (prefix ? `${prefix.replace(/\/+$/, '')}/${key}` : key);

export async function s3Store(cfg: S3Config): Promise<ObjStore> {
  const s3 = await import('@aws-sdk/client-s3');
  const client = new s3.S3Client({
    endpoint: /^\w+:\/\//.test(cfg.endpoint) ? cfg.endpoint : `http://${cfg.endpoint}`,
    region: cfg.region,
    forcePathStyle: cfg.pathStyle,
    credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey, sessionToken: cfg.sessionToken },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  return {
    async put(key, body) {
      await client.send(new s3.PutObjectCommand({ Bucket: cfg.bucket, Key: join2(cfg.prefix, key), Body: body }));
    },
    async get(key) {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: cfg.bucket, Key: join2(cfg.prefix, key) }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    async list(prefix) {
      const out: ObjectInfo[] = [];
      let token: string | undefined;
      const base = cfg.prefix ? `${cfg.prefix.replace(/\/+$/, '')}/` : '';
      do {
        const page = await client.send(new s3.ListObjectsV2Command({ Bucket: cfg.bucket, Prefix: base + prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) out.push({ key: o.Key!.slice(base.length), size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async delete(key) {
      await client.send(new s3.DeleteObjectCommand({ Bucket: cfg.bucket, Key: join2(cfg.prefix, key) }));
    },
  };
}

export interface AzureConfig {
  endpoint: string;
  account: string;
  key: string;
  container: string;
  prefix: string;
}

export async function azureStore(cfg: AzureConfig): Promise<ObjStore> {
  const az = await import('@azure/storage-blob');
  const service = new az.BlobServiceClient(cfg.endpoint, new az.StorageSharedKeyCredential(cfg.account, cfg.key), { retryOptions: { maxTries: 1, tryTimeoutInMs: 5000 } });
  const container = service.getContainerClient(cfg.container);
  return {
    async put(key, body) {
      await container.getBlockBlobClient(join2(cfg.prefix, key)).uploadData(body);
    },
    async get(key) {
      return container.getBlobClient(join2(cfg.prefix, key)).downloadToBuffer();
    },
    async list(prefix) {
      const base = cfg.prefix ? `${cfg.prefix.replace(/\/+$/, '')}/` : '';
      const out: ObjectInfo[] = [];
      for await (const b of container.listBlobsFlat({ prefix: base + prefix })) out.push({ key: b.name.slice(base.length), size: b.properties.contentLength ?? 0 });
      return out;
    },
    async delete(key) {
      await container.deleteBlob(join2(cfg.prefix, key));
    },
  };
}

/** HDFS stand-in: `hdfs://nn:port/path` stored under `<root>/<nn>/<path>`. */
export function localStore(root: string): ObjStore {
  const walk = (dir: string): string[] => {
    try {
      return readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
    } catch {
      return [];
    }
  };
  return {
    put(key, body) {
      const p = join(root, key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
      return Promise.resolve();
    },
    get(key) {
      return Promise.resolve(readFileSync(join(root, key)));
    },
    list(prefix) {
      return Promise.resolve(walk(root).map((p) => ({ key: relative(root, p), size: statSync(p).size })).filter((o) => o.key.startsWith(prefix)));
    },
    delete(key) {
      rmSync(join(root, key), { force: true });
      return Promise.resolve();
    },
  };
}
