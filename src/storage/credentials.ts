// Reads repository secrets from the environment variables the plan names. The only place that
// touches them; a missing one is a refusal naming the variable.
import { refusedError } from '../errors.js';
import type { RepositorySettings } from './settings.js';
import type { RepositorySecrets } from './properties.js';

export function readCredentials(settings: RepositorySettings, env: Record<string, string | undefined>): RepositorySecrets {
  const need = (name: string, what: string): string => {
    const value = env[name];
    if (!value) throw refusedError('missing-credentials', `the repository ${settings.location} needs ${what} in the environment variable ${name}: export it and run again`);
    return value;
  };
  if (settings.backend === 's3') {
    const token = env[settings.sessionTokenEnv];
    return { accessKey: need(settings.accessKeyEnv, 'the access key'), secretKey: need(settings.secretKeyEnv, 'the secret key'), ...(token ? { sessionToken: token } : {}) };
  }
  if (settings.backend === 'azure') return { azureKey: need(settings.accountKeyEnv, 'the storage account key') };
  return {};
}
