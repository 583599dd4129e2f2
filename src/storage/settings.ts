// Where a repository lives and how to reach it (no secrets: those come from the environment at
// run time). A storage concept; the plan file embeds it under `repository.settings`.
import { z } from 'zod';

/** `scheme://user:password@host`: a URL carrying credentials, which must never be in a plan. */
export const URL_WITH_CREDENTIALS = /^\s*[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;
const url = z.string().min(1).refine((v) => !URL_WITH_CREDENTIALS.test(v), 'must not carry credentials (user:password@): secrets come from environment variables');

// Strict like the rest of the plan file (plan/schema.ts): an unknown key is refused, not dropped.

export const S3SettingsSchema = z.strictObject({
  backend: z.literal('s3'),
  /** `s3://bucket/prefix` */
  location: z.string().startsWith('s3://'),
  endpoint: url,
  region: z.string().min(1),
  pathStyle: z.boolean(),
  /** Provider preset the settings came from (aws, minio, oss, cos, gcs, other). */
  provider: z.string().default('other'),
  accessKeyEnv: z.string().default('AWS_ACCESS_KEY_ID'),
  secretKeyEnv: z.string().default('AWS_SECRET_ACCESS_KEY'),
  sessionTokenEnv: z.string().default('AWS_SESSION_TOKEN'),
});
export const AzureSettingsSchema = z.strictObject({
  backend: z.literal('azure'),
  /** `azure://account/container/prefix` */
  location: z.string().startsWith('azure://'),
  /** Blob endpoint, e.g. `https://acct.blob.core.windows.net` or Azurite's URL. */
  endpoint: url,
  accountKeyEnv: z.string().default('AZURE_STORAGE_KEY'),
});
export const HdfsSettingsSchema = z.strictObject({
  backend: z.literal('hdfs'),
  /** `hdfs://namenode:port/path` */
  location: z.string().startsWith('hdfs://'),
  user: z.string().optional(),
  /** WebHDFS URL for the preflight reachability check, if any. */
  webhdfs: url.optional(),
  /** Extra `hadoop.*` / `dfs.*` properties passed through (Kerberos, HA). No secrets. */
  properties: z.record(z.string(), z.string()).default({}),
});
export const RepositorySettingsSchema = z.discriminatedUnion('backend', [
  S3SettingsSchema,
  AzureSettingsSchema,
  HdfsSettingsSchema,
]);
export type RepositorySettings = z.infer<typeof RepositorySettingsSchema>;
