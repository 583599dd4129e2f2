// Where the real-Doris suite finds its clusters: environment variables, defaulting to what
// docker-compose.test.yml publishes (a compose test checks the two agree).
export interface RealDorisEnv {
  enabled: boolean;
  source: string;
  target: string;
  sourcePassword: string;
  targetPassword: string;
  /** Reached by the Doris backends and by doris-migrate's preflight alike. */
  s3Endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
}

export const REAL_DEFAULTS = {
  source: 'mysql://root@127.0.0.1:19030',
  target: 'mysql://root@127.0.0.1:29030',
  // MinIO's fixed address on the compose network: the backends inside it and a Linux host both reach it.
  s3Endpoint: 'http://172.30.80.31:9000',
  bucket: 'doris-migrate',
  accessKey: 'minioadmin',
  secretKey: 'minioadmin',
} as const;

export function realDorisEnv(env: NodeJS.ProcessEnv): RealDorisEnv {
  return {
    enabled: env.DORIS_REAL === '1',
    source: env.DORIS_REAL_SOURCE ?? REAL_DEFAULTS.source,
    target: env.DORIS_REAL_TARGET ?? REAL_DEFAULTS.target,
    sourcePassword: env.DORIS_REAL_SOURCE_PASSWORD ?? '',
    targetPassword: env.DORIS_REAL_TARGET_PASSWORD ?? '',
    s3Endpoint: env.DORIS_REAL_S3_ENDPOINT ?? REAL_DEFAULTS.s3Endpoint,
    bucket: env.DORIS_REAL_S3_BUCKET ?? REAL_DEFAULTS.bucket,
    accessKey: env.DORIS_REAL_S3_ACCESS_KEY ?? REAL_DEFAULTS.accessKey,
    secretKey: env.DORIS_REAL_S3_SECRET_KEY ?? REAL_DEFAULTS.secretKey,
  };
}

/** Why the suite does not run, for the skip note; undefined when it runs. */
export const skipReason = (e: RealDorisEnv): string | undefined =>
  e.enabled ? undefined : 'DORIS_REAL is not 1: start docker-compose.test.yml (docker compose -f docker-compose.test.yml up -d --wait) and run DORIS_REAL=1 npm run test:real';
