// Opens the object store a repository's StoreSpec names, behind the simulator's
// "repository unreachable" fault switch.
import { join } from 'node:path';
import { azureStore } from '../objstore/azure.js';
import { localStore } from '../objstore/local.js';
import { s3Store } from '../objstore/s3.js';
import type { ObjStore } from '../objstore/types.js';
import type { StoreSpec } from './properties.js';

/** Where `hdfs://` repositories live on this machine: `<data dir>/hdfs/<namenode_port>/<path>`. */
export const hdfsDirectory = (dataDir: string, spec: Extract<StoreSpec, { kind: 'HDFS' }>): string => join(dataDir, 'hdfs', spec.host, spec.path);

export async function openObjStore(spec: StoreSpec, dataDir: string): Promise<ObjStore> {
  if (spec.kind === 'HDFS') return localStore(hdfsDirectory(dataDir, spec));
  if (spec.kind === 'AZURE') return azureStore(spec);
  return s3Store(spec);
}

/** Every call fails with a connection error while `down()` holds (ADMIN SIM SET REPOSITORY .. UNREACHABLE). */
export function guarded(store: ObjStore, down: () => boolean, location: string): ObjStore {
  const guard = <T>(fn: () => Promise<T>): Promise<T> => (down() ? Promise.reject(new Error(`Connection refused: ${location}`)) : fn());
  return {
    put: (k, b) => guard(() => store.put(k, b)),
    get: (k) => guard(() => store.get(k)),
    list: (p) => guard(() => store.list(p)),
    head: (k) => guard(() => store.head(k)),
    delete: (k) => guard(() => store.delete(k)),
  };
}
