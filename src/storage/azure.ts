// Azure Blob Storage through @azure/storage-blob (shared key).
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { RepositorySettings } from './settings.js';
import { StoreError, type ObjectStore } from './backend.js';
import type { RepositorySecrets } from './properties.js';

type AzureSettings = Extract<RepositorySettings, { backend: 'azure' }>;

export function explainAzureError(e: unknown, settings: AzureSettings, container: string): StoreError {
  const err = e as { code?: string; statusCode?: number; message?: string; cause?: { code?: string } };
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /ECONNREFUSED|ENOTFOUND/.test(err.message ?? '')) return new StoreError(`cannot connect to ${settings.endpoint}: check --azure-endpoint and that the service is up`);
  // 403 covers three different fixes: a wrong key, a firewall rule, and a role without the right.
  // Azure answers a blocked network with AuthorizationFailure; Azurite answers a wrong key with it too.
  if (code === 'AuthorizationFailure') return new StoreError(`the storage account key was refused or the request blocked (AuthorizationFailure): check ${settings.accountKeyEnv}, and that the account's firewall allows this machine and the Doris BEs`);
  if (code === 'AuthorizationPermissionMismatch' || code === 'InsufficientAccountPermissions') return new StoreError(`missing permission (${code}): the credential needs read, write, delete and list on container ${container}`);
  if (code === 'AuthenticationFailed' || err.statusCode === 403) return new StoreError(`the storage account key was refused (${code || 403}): check ${settings.accountKeyEnv}`);
  if (code === 'ContainerNotFound') return new StoreError(`container ${container} does not exist: create it (Doris does not) or fix the location`);
  return new StoreError(`${code || 'error'}: ${(err.message ?? String(e)).split('\n')[0]}`);
}

export function azureObjectStore(settings: AzureSettings, location: { account: string; container: string; prefix: string }, secrets: RepositorySecrets): ObjectStore {
  let key: StorageSharedKeyCredential;
  try {
    key = new StorageSharedKeyCredential(location.account, secrets.azureKey ?? '');
  } catch {
    throw new StoreError(`the storage account key in ${settings.accountKeyEnv} is not valid base64`);
  }
  const container = new BlobServiceClient(settings.endpoint, key, { retryOptions: { maxTries: 2, tryTimeoutInMs: 10_000 } }).getContainerClient(location.container);
  const base = location.prefix ? `${location.prefix}/` : '';
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw explainAzureError(e, settings, location.container);
    }
  };
  return {
    put: (k, body) => wrap(async () => void (await container.getBlockBlobClient(base + k).uploadData(body))),
    get: (k) => wrap(() => container.getBlobClient(base + k).downloadToBuffer()),
    list: (prefix) =>
      wrap(async () => {
        const out: { key: string; size: number }[] = [];
        for await (const b of container.listBlobsFlat({ prefix: base + prefix })) out.push({ key: b.name.slice(base.length), size: b.properties.contentLength ?? 0 });
        return out;
      }),
    delete: (k) => wrap(async () => void (await container.deleteBlob(base + k))),
  };
}
