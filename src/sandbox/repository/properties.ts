// CREATE REPOSITORY by version: the analysis checks (name, storage keyword, location scheme,
// provider) and the store a repository's location and properties describe (doris-facts.md
// Part B §2.1-§2.4). Pure: data in, a store description or a Doris error out.
import { dorisError } from '../errors.js';
import { atLeast, type SimVersion } from '../version.js';

/** SHOW REPOSITORIES `Type`. */
export type RepoKind = 'S3' | 'HDFS' | 'AZURE';

/** Where a repository's objects live, resolved from its location and properties. */
export type StoreSpec =
  | { kind: 'S3'; endpoint: string; region: string; accessKey: string; secretKey: string; sessionToken?: string; pathStyle: boolean; bucket: string; prefix: string }
  | { kind: 'AZURE'; endpoint: string; account: string; key: string; container: string; prefix: string }
  /** HDFS is simulated: `host` (`nn_8020`) and `path` name a directory under the simulator's data dir. */
  | { kind: 'HDFS'; host: string; path: string };

export interface RepoDefinition {
  name: string;
  /** The word after WITH, upper-cased: S3, HDFS, BROKER, LOCAL, ... */
  backend: string;
  broker?: string;
  location: string;
  properties: Record<string, string>;
}

/** Case-insensitive lookup over a key and its aliases (Doris keeps these maps case-insensitive). */
export function prop(props: Record<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const hit = Object.keys(props).find((p) => p.toLowerCase() === k.toLowerCase());
    if (hit !== undefined) return props[hit];
  }
  return undefined;
}

const newest = (v: SimVersion): boolean => atLeast(v, 4, 0);

// Aliases by line: 2.x/3.0 accept the s3.* keys and their AWS_* spellings; the newest line's
// parameter refactor accepts many more.
const keys = (v: SimVersion) => ({
  endpoint: newest(v) ? ['s3.endpoint', 'AWS_ENDPOINT', 'endpoint', 'aws.endpoint', 'minio.endpoint'] : ['s3.endpoint', 'AWS_ENDPOINT'],
  region: newest(v) ? ['s3.region', 'AWS_REGION', 'region', 'aws.region'] : ['s3.region', 'AWS_REGION'],
  accessKey: newest(v) ? ['s3.access_key', 'AWS_ACCESS_KEY', 'access_key', 's3.access-key-id'] : ['s3.access_key', 'AWS_ACCESS_KEY'],
  secretKey: newest(v) ? ['s3.secret_key', 'AWS_SECRET_KEY', 'secret_key', 's3.secret-access-key'] : ['s3.secret_key', 'AWS_SECRET_KEY'],
  token: newest(v) ? ['s3.session_token', 'session_token', 's3.session-token'] : ['s3.session_token', 'AWS_TOKEN'],
  pathStyle: newest(v) ? ['use_path_style', 's3.path-style-access'] : ['use_path_style'],
});

/** The repository type a definition resolves to on this version. */
export function repoKind(v: SimVersion, def: RepoDefinition): RepoKind {
  if (def.backend === 'HDFS') return 'HDFS';
  const provider = prop(def.properties, 'provider')?.toUpperCase();
  // 2.x has no Azure filesystem: `provider` is carried along and ignored, so it is plain S3.
  if (v.major < 3) return 'S3';
  if (provider === 'AZURE') return 'AZURE';
  const endpoint = prop(def.properties, 'azure.endpoint', ...keys(v).endpoint) ?? '';
  return newest(v) && /\.blob\.core\.windows\.net\/?$/i.test(endpoint) ? 'AZURE' : 'S3';
}

/** The statement's analysis checks after the name's (name-format.ts), in Doris's order; throws Doris's synchronous errors. */
export function checkDefinition(v: SimVersion, def: RepoDefinition): RepoKind {
  if (def.backend === 'BROKER') throw dorisError(`broker does not exist: ${def.broker ?? ''}`);
  if (def.backend !== 'S3' && def.backend !== 'HDFS') throw dorisError(`${def.backend === 'LOCAL' ? 'Local file system' : def.backend} is not support now.`);
  if (!def.location) throw dorisError('You must specify a location on the repository');
  if (!newest(v)) {
    if (!/^[A-Za-z][\w+.-]*:\/\//.test(def.location)) throw dorisError('Invalid export path, there is no schema of URI found. please check your path.');
    if (def.backend === 'S3' && !def.location.startsWith('s3://')) throw dorisError("Invalid export path. please use valid 's3://' path.");
    if (def.backend === 'HDFS' && !/^(hdfs|viewfs):\/\//i.test(def.location)) throw dorisError("Invalid export path. please use valid 'HDFS://' or 'viewfs://' path.");
  }
  const provider = prop(def.properties, 'provider');
  if (v.major === 3 && provider !== undefined && !['COS', 'OSS', 'S3', 'OBS', 'BOS', 'AZURE', 'GCP'].includes(provider.toUpperCase())) {
    throw dorisError('Provider must be one of OSS, OBS, AZURE, BOS, COS, S3, GCP');
  }
  const kind = repoKind(v, def);
  if (newest(v)) checkNewestProperties(v, def, kind);
  return kind;
}

/** The newest line validates its storage properties while analysing the statement. */
function checkNewestProperties(v: SimVersion, def: RepoDefinition, kind: RepoKind): void {
  const p = def.properties;
  if (kind === 'HDFS') {
    const auth = prop(p, 'hdfs.authentication.type', 'hadoop.security.authentication');
    const principal = prop(p, 'hdfs.authentication.kerberos.principal', 'hadoop.kerberos.principal');
    const keytab = prop(p, 'hdfs.authentication.kerberos.keytab', 'hadoop.kerberos.keytab');
    if (auth?.toLowerCase() === 'kerberos' && (!principal || !keytab)) throw dorisError('HDFS authentication type is kerberos, but principal or keytab is not set.');
    return;
  }
  const k = keys(v);
  if (kind === 'AZURE') {
    azureLocation(def.location);
    return;
  }
  const endpoint = prop(p, ...k.endpoint);
  const ak = prop(p, ...k.accessKey);
  const sk = prop(p, ...k.secretKey);
  if (endpoint === undefined && ak === undefined && sk === undefined && prop(p, ...k.region) === undefined) {
    throw dorisError('No supported storage type found. Please check your configuration.');
  }
  if ((ak === undefined) !== (sk === undefined)) throw dorisError('Both the access key and the secret key must be set.');
  if (endpoint === undefined) throw dorisError('Endpoint is not set. Please specify it explicitly.');
}

/** The newest line's Azure location forms, all normalised to `container` + `path`. */
function azureLocation(location: string): { container: string; prefix: string } {
  let m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (m) return { container: m[1]!, prefix: m[2]! };
  m = /^(?:wasbs?|abfss?):\/\/([^@/]+)@[^/]+\/?(.*)$/.exec(location);
  if (m) return { container: m[1]!, prefix: m[2]! };
  m = /^https?:\/\/[^/]+\.blob\.core\.windows\.net\/([^/]+)\/?(.*)$/.exec(location);
  if (m) return { container: m[1]!, prefix: m[2]! };
  throw dorisError(`Unsupported Azure URI scheme: ${location}`);
}

/** `scheme://first/rest...` split into its first segment and the rest. */
function splitLocation(location: string): { first: string; rest: string } {
  const body = location.replace(/^[A-Za-z][\w+.-]*:\/\//, '');
  const slash = body.indexOf('/');
  return slash < 0 ? { first: body, rest: '' } : { first: body.slice(0, slash), rest: body.slice(slash + 1).replace(/\/+$/, '') };
}

/**
 * The store behind a repository. Throws a plain Error with the storage client's kind of message
 * when a property the client needs is missing (the caller wraps it in Doris's text).
 */
export function storeSpec(v: SimVersion, kind: RepoKind, location: string, properties: Record<string, string>): StoreSpec {
  const p = properties;
  if (kind === 'HDFS') {
    const { first, rest } = splitLocation(location);
    return { kind: 'HDFS', host: first.replace(/[^\w.-]/g, '_') || 'default', path: rest };
  }
  const k = keys(v);
  if (kind === 'AZURE') {
    const account = prop(p, ...(newest(v) ? ['azure.account_name', 'azure.access_key'] : []), ...k.accessKey) ?? '';
    const key = prop(p, ...(newest(v) ? ['azure.account_key', 'azure.secret_key'] : []), ...k.secretKey) ?? '';
    if (!newest(v) && prop(p, ...k.endpoint) === undefined) throw new Error('Missing [s3.endpoint] in properties.');
    // 3.0 builds its client on the public endpoint whatever s3.endpoint says; the newest line
    // honours a custom endpoint (Azurite, sovereign clouds).
    const publicEndpoint = `https://${account}.blob.core.windows.net`;
    const endpoint = newest(v) ? (prop(p, 'azure.endpoint', ...k.endpoint) ?? publicEndpoint) : publicEndpoint;
    const { container, prefix } = newest(v) ? azureLocation(location) : (({ first, rest }) => ({ container: first, prefix: rest }))(splitLocation(location));
    return { kind: 'AZURE', endpoint: /^\w+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`, account, key, container, prefix };
  }
  const endpoint = prop(p, ...k.endpoint);
  if (endpoint === undefined) throw new Error('Missing [s3.endpoint] in properties.');
  const { first, rest } = splitLocation(location);
  const token = prop(p, ...k.token);
  return {
    kind: 'S3',
    endpoint,
    // Doris does not enforce a region for S3-compatible servers; the SDK needs one.
    region: prop(p, ...k.region) ?? 'us-east-1',
    accessKey: prop(p, ...k.accessKey) ?? '',
    secretKey: prop(p, ...k.secretKey) ?? '',
    ...(token !== undefined ? { sessionToken: token } : {}),
    pathStyle: (prop(p, ...k.pathStyle) ?? 'false').toLowerCase() === 'true',
    bucket: first,
    prefix: rest,
  };
}
