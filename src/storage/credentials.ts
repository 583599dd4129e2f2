// Reads repository secrets from the environment variables the plan names. The only place that
// touches them; a missing one is a refusal naming the variable.
import { refusedError } from '../errors.js';
import type { RepositorySettings } from './settings.js';
import type { RepositorySecrets } from './properties.js';

/** One environment variable a repository's credentials come from. */
export interface CredentialVariable {
  variable: string;
  key: keyof RepositorySecrets;
  /** What it holds, for messages and prompts. */
  what: string;
  /** Temporary credentials' session token is optional; the keys are not. */
  required: boolean;
}

/** The variables the repository's backend reads, in the order they are asked for. */
export function credentialVariables(settings: RepositorySettings): CredentialVariable[] {
  if (settings.backend === 's3') {
    return [
      { variable: settings.accessKeyEnv, key: 'accessKey', what: 'the access key', required: true },
      { variable: settings.secretKeyEnv, key: 'secretKey', what: 'the secret key', required: true },
      { variable: settings.sessionTokenEnv, key: 'sessionToken', what: 'the session token', required: false },
    ];
  }
  if (settings.backend === 'azure') return [{ variable: settings.accountKeyEnv, key: 'azureKey', what: 'the storage account key', required: true }];
  return [];
}

export function readCredentials(settings: RepositorySettings, env: Record<string, string | undefined>): RepositorySecrets {
  const secrets: RepositorySecrets = {};
  for (const { variable, key, what, required } of credentialVariables(settings)) {
    const value = env[variable];
    if (value) secrets[key] = value;
    else if (required) throw refusedError('missing-credentials', `the repository ${settings.location} needs ${what} in the environment variable ${variable}: export it and run again`);
  }
  return secrets;
}
