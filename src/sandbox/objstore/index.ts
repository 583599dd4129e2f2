// Object stores behind simulated repositories: one interface, three backends.
export type { ObjectInfo, ObjStore } from './types.js';
export { s3Store, type S3Config } from './s3.js';
export { azureStore, type AzureConfig } from './azure.js';
export { localStore } from './local.js';
