// CREATE REPOSITORY's ON LOCATION and PROPERTIES for each backend and Doris line
// (doris-facts.md Part B §2). Rendered either with real secrets (only for the statement sent to
// Doris) or with `${ENV_VAR}` placeholders (review, logs, files). Pure.
import { refusedError } from '../errors.js';
import type { RepositorySettings } from './settings.js';
import { parseLocation } from './location.js';

export interface DorisLine {
  major: number;
  minor: number;
  patch: number;
}

/** Secret values read from the environment (credentials.ts); absent for placeholder rendering. */
export interface RepositorySecrets {
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  azureKey?: string;
}

export interface RepositoryDefinition {
  storageType: 'S3' | 'HDFS';
  location: string;
  properties: Record<string, string>;
}

const placeholder = (env: string): string => `\${${env}}`;
const PUBLIC_AZURE = /^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/?$/;

/**
 * The repository as Doris must be told about it. `secrets` undefined renders placeholders.
 * Refuses (exit 4) what the line cannot do: Azure before 3.0, a custom Azure endpoint on 3.0.
 */
export function repositoryDefinition(settings: RepositorySettings, line: DorisLine, secrets?: RepositorySecrets): RepositoryDefinition {
  const parsed = parseLocation(settings.location);
  if (settings.backend === 's3' && parsed.backend === 's3') {
    const properties: Record<string, string> = {
      's3.endpoint': settings.endpoint,
      's3.region': settings.region,
      's3.access_key': secrets ? (secrets.accessKey ?? '') : placeholder(settings.accessKeyEnv),
      's3.secret_key': secrets ? (secrets.secretKey ?? '') : placeholder(settings.secretKeyEnv),
    };
    // A session token is sent only when the environment has one; the runbook names it so that a
    // person pasting it with temporary credentials does not leave it out.
    if (!secrets) properties['s3.session_token'] = placeholder(settings.sessionTokenEnv);
    else if (secrets.sessionToken) properties['s3.session_token'] = secrets.sessionToken;
    properties.use_path_style = String(settings.pathStyle);
    return { storageType: 'S3', location: settings.location, properties };
  }
  if (settings.backend === 'azure' && parsed.backend === 'azure') {
    const location = `s3://${parsed.container}${parsed.prefix ? `/${parsed.prefix}` : ''}`;
    const key = secrets ? (secrets.azureKey ?? '') : placeholder(settings.accountKeyEnv);
    if (line.major < 3) {
      throw refusedError('azure-unsupported', `Doris ${line.major}.${line.minor} cannot use Azure Blob repositories (${settings.location}): use an S3-compatible location, or clusters on 3.0 or newer`);
    }
    if (line.major === 3) {
      if (!PUBLIC_AZURE.test(settings.endpoint)) {
        throw refusedError('azure-endpoint', `Doris 3.0 always talks to https://${parsed.account}.blob.core.windows.net and ignores --azure-endpoint ${settings.endpoint}: use the public endpoint, or clusters on 4.0 or newer`);
      }
      return {
        storageType: 'S3',
        location,
        properties: { 's3.endpoint': `https://${parsed.account}.blob.core.windows.net`, 's3.region': 'dummy_region', 's3.access_key': parsed.account, 's3.secret_key': key, provider: 'AZURE' },
      };
    }
    return {
      storageType: 'S3',
      location,
      properties: { 'azure.endpoint': settings.endpoint, 'azure.account_name': parsed.account, 'azure.account_key': key, provider: 'AZURE' },
    };
  }
  if (settings.backend === 'hdfs' && parsed.backend === 'hdfs') {
    const properties: Record<string, string> = { 'fs.defaultFS': `hdfs://${parsed.namenode}` };
    if (settings.user) properties['hadoop.username'] = settings.user;
    Object.assign(properties, settings.properties);
    return { storageType: 'HDFS', location: settings.location, properties };
  }
  throw refusedError('bad-repository', `repository settings do not match the location ${settings.location}`);
}

/** Property keys whose values are secrets (never printed). */
export const SECRET_PROPERTY_KEYS = new Set(['s3.access_key', 's3.secret_key', 's3.session_token', 'azure.account_key', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'AWS_TOKEN']);
