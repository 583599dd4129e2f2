// The one interface every simulated repository backend implements. Keys are relative to the
// repository location: the bucket/container and the location's prefix are already applied.

export interface ObjectInfo {
  key: string;
  size: number;
}

/** A flat object store: S3-compatible, Azure Blob, or a local directory standing in for HDFS. */
export interface ObjStore {
  put(key: string, body: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** The object's size, or undefined when it does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  delete(key: string): Promise<void>;
}

/** `prefix/key`, or `key` when there is no prefix. */
export const underPrefix = (prefix: string, key: string): string => (prefix ? `${prefix.replace(/\/+$/, '')}/${key}` : key);
export const prefixDir = (prefix: string): string => (prefix ? `${prefix.replace(/\/+$/, '')}/` : '');
