// Azure Blob object store (Azure or Azurite) through @azure/storage-blob with a shared key.
import type { ObjectInfo, ObjStore } from './types.js';
import { prefixDir, underPrefix } from './types.js';

export interface AzureConfig {
  /** Service URL: `https://<account>.blob.core.windows.net`, or Azurite's `http://127.0.0.1:<port>/<account>`. */
  endpoint: string;
  account: string;
  key: string;
  container: string;
  prefix: string;
}

export async function azureStore(cfg: AzureConfig): Promise<ObjStore> {
  const az = await import('@azure/storage-blob');
  // Transient errors are retried quickly; a wrong key or endpoint still fails within a second.
  const retryOptions = { maxTries: 3, tryTimeoutInMs: 5000, retryDelayInMs: 20, maxRetryDelayInMs: 200 };
  const service = new az.BlobServiceClient(cfg.endpoint, new az.StorageSharedKeyCredential(cfg.account, cfg.key), { retryOptions });
  const container = service.getContainerClient(cfg.container);
  const key = (k: string): string => underPrefix(cfg.prefix, k);
  return {
    async put(k, body) {
      await container.getBlockBlobClient(key(k)).uploadData(body);
    },
    async get(k) {
      return container.getBlobClient(key(k)).downloadToBuffer();
    },
    async list(prefix) {
      const base = prefixDir(cfg.prefix);
      const out: ObjectInfo[] = [];
      for await (const b of container.listBlobsFlat({ prefix: base + prefix })) out.push({ key: b.name.slice(base.length), size: b.properties.contentLength ?? 0 });
      return out;
    },
    async head(k) {
      try {
        const p = await container.getBlobClient(key(k)).getProperties();
        return { key: k, size: p.contentLength ?? 0 };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
    async delete(k) {
      await container.deleteBlob(key(k));
    },
  };
}
