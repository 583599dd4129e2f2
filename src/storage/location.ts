// Repository locations as users write them, parsed into parts, and turned into the plan's stored
// settings with provider presets. Pure.
import { usageError } from '../errors.js';
import { URL_WITH_CREDENTIALS, type RepositorySettings } from './settings.js';

export type ParsedLocation =
  | { backend: 's3'; bucket: string; prefix: string }
  | { backend: 'azure'; account: string; container: string; prefix: string }
  | { backend: 'hdfs'; namenode: string; path: string };

const trimSlashes = (s: string): string => s.replace(/^\/+|\/+$/g, '');


/**
 * Refuses a URL that carries credentials (`scheme://KEY:SECRET@host`), naming the flag and where
 * the secret belongs, without echoing the URL: it would end up in the plan, the runbook and logs.
 */
export function refuseUrlCredentials(text: string | undefined, flag: string, secretsFrom: string): void {
  if (text !== undefined && URL_WITH_CREDENTIALS.test(text)) {
    throw usageError('credentials-in-url', `${flag} must not carry credentials (user:password@ before the host): remove them from the URL and set ${secretsFrom} instead`);
  }
}

/** Parses `s3://bucket/prefix`, `azure://account/container/prefix` or `hdfs://namenode:port/path`. */
export function parseLocation(text: string): ParsedLocation {
  refuseUrlCredentials(text, 'the repository location', 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AZURE_STORAGE_KEY');
  const m = /^([a-z0-9]+):\/\/([^/]*)(\/.*)?$/i.exec(text.trim());
  const hint = 'use s3://bucket/prefix, azure://account/container/prefix or hdfs://namenode:port/path';
  if (!m) throw usageError('bad-location', `repository location '${text}' is not a URL: ${hint}`);
  const [, scheme = '', host = '', rest = ''] = m;
  const path = trimSlashes(rest);
  switch (scheme.toLowerCase()) {
    case 's3':
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(host)) throw usageError('bad-location', `repository location '${text}': '${host}' is not a valid bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
      return { backend: 's3', bucket: host, prefix: path };
    case 'azure': {
      const [container = '', ...prefix] = path.split('/');
      if (!/^[a-z0-9]{3,24}$/.test(host)) throw usageError('bad-location', `repository location '${text}': '${host}' is not a valid storage account name (3-24 lower-case letters and digits)`);
      if (!container) throw usageError('bad-location', `repository location '${text}': give the container after the account, as azure://account/container/prefix`);
      if (!/^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/.test(container)) throw usageError('bad-location', `repository location '${text}': '${container}' is not a valid container name (3-63 lower-case letters, digits, hyphens)`);
      return { backend: 'azure', account: host, container, prefix: prefix.join('/') };
    }
    case 'hdfs':
      if (!/^[^:]+(:\d+)?$/.test(host) || !host) throw usageError('bad-location', `repository location '${text}': give the namenode as host:port, as hdfs://namenode:8020/path`);
      if (!path) throw usageError('bad-location', `repository location '${text}': give a directory after the namenode, as hdfs://namenode:8020/doris/backups`);
      return { backend: 'hdfs', namenode: host, path };
    default:
      throw usageError('bad-location', `repository location '${text}' has an unsupported scheme '${scheme}': ${hint} (OSS, COS, GCS and MinIO use s3:// with --s3-provider)`);
  }
}

/** Endpoint, region and addressing of the S3 interface of each provider we document. */
export const S3_PROVIDERS = {
  aws: { endpoint: (region: string) => `https://s3.${region}.amazonaws.com`, region: 'us-east-1', pathStyle: false },
  minio: { endpoint: undefined, region: 'us-east-1', pathStyle: true },
  oss: { endpoint: (region: string) => `https://oss-${region}.aliyuncs.com`, region: 'cn-hangzhou', pathStyle: false },
  cos: { endpoint: (region: string) => `https://cos.${region}.myqcloud.com`, region: 'ap-beijing', pathStyle: false },
  gcs: { endpoint: () => 'https://storage.googleapis.com', region: 'US', pathStyle: false },
  other: { endpoint: undefined, region: 'us-east-1', pathStyle: true },
} as const;
export type S3Provider = keyof typeof S3_PROVIDERS;

/** Repository flags of `plan` (all optional; presets fill the rest). */
export interface LocationFlags {
  s3Provider?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3PathStyle?: boolean;
  azureEndpoint?: string;
  hdfsUser?: string;
  webhdfs?: string;
  hdfsProperties?: Record<string, string>;
}

/** Every URL among the repository flags, checked before anything connects. */
export function refuseFlagCredentials(location: string | undefined, flags: LocationFlags): void {
  refuseUrlCredentials(location, '--repository', 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AZURE_STORAGE_KEY');
  refuseUrlCredentials(flags.s3Endpoint, '--s3-endpoint', 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
  refuseUrlCredentials(flags.azureEndpoint, '--azure-endpoint', 'AZURE_STORAGE_KEY');
  refuseUrlCredentials(flags.webhdfs, '--webhdfs', 'a Kerberos ticket or --hdfs-user');
}

/** The plan's stored form of a repository: location, endpoint settings, and the names of env vars holding secrets. */
export function settingsFromLocation(location: string, flags: LocationFlags = {}): RepositorySettings {
  refuseFlagCredentials(location, flags);
  const parsed = parseLocation(location);
  if (parsed.backend === 's3') {
    const provider = (flags.s3Provider ?? (flags.s3Endpoint ? 'other' : 'aws')).toLowerCase();
    if (!(provider in S3_PROVIDERS)) throw usageError('bad-provider', `--s3-provider '${provider}' is unknown: use one of ${Object.keys(S3_PROVIDERS).join(', ')}`);
    const preset = S3_PROVIDERS[provider as S3Provider];
    const region = flags.s3Region ?? preset.region;
    const endpoint = flags.s3Endpoint ?? preset.endpoint?.(region);
    if (!endpoint) throw usageError('missing-endpoint', `the ${provider} provider needs --s3-endpoint (e.g. http://minio:9000)`);
    return {
      backend: 's3', location, endpoint, region, pathStyle: flags.s3PathStyle ?? preset.pathStyle, provider,
      accessKeyEnv: 'AWS_ACCESS_KEY_ID', secretKeyEnv: 'AWS_SECRET_ACCESS_KEY', sessionTokenEnv: 'AWS_SESSION_TOKEN',
    };
  }
  if (parsed.backend === 'azure') {
    return { backend: 'azure', location, endpoint: flags.azureEndpoint ?? `https://${parsed.account}.blob.core.windows.net`, accountKeyEnv: 'AZURE_STORAGE_KEY' };
  }
  return { backend: 'hdfs', location, ...(flags.hdfsUser ? { user: flags.hdfsUser } : {}), ...(flags.webhdfs ? { webhdfs: flags.webhdfs } : {}), properties: flags.hdfsProperties ?? {} };
}
