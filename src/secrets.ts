// Secrets out of every text we make: a Doris error may echo the statement it refused, and
// CREATE REPOSITORY carries the repository's keys. Each place that turns an error into text (the
// step-failed record and event, apply's error on its way to the screen, the trail) masks it
// with one `Mask`, built from the values the run read as secrets.
import type { ClusterRef } from './plan/schema.js';
import type { RepositorySecrets } from './storage/properties.js';

/** Replaces every secret value the run knows in a text with `***`. */
export type Mask = (text: string) => string;

/**
 * A mask for these values. Only non-trivial ones (3 characters or more): a 1-character "secret"
 * would mask half of every line. The longest first, so a secret containing another is masked whole.
 */
export function secretMask(values: Iterable<string | undefined>): Mask {
  const known = [...new Set([...values].filter((s): s is string => typeof s === 'string' && s.length >= 3))].sort((a, b) => b.length - a.length);
  return (text) => known.reduce((t, v) => t.split(v).join('***'), text);
}

/**
 * The repository's secrets: exactly the values CREATE REPOSITORY carries in its secret properties,
 * and the only secrets a statement of ours ever holds.
 */
export const repositorySecretValues = (secrets: RepositorySecrets): (string | undefined)[] => [secrets.accessKey, secrets.secretKey, secrets.sessionToken, secrets.azureKey];

/** Every secret of a plan's run: its clusters' passwords (from the variables the plan names) and the repository's. */
export function planSecretMask(plan: { source: ClusterRef; target: ClusterRef }, env: Record<string, string | undefined>, secrets: RepositorySecrets): Mask {
  return secretMask([env[plan.source.passwordEnv], env[plan.target.passwordEnv], ...repositorySecretValues(secrets)]);
}

/** The error with its message (and stack) masked, for an error leaving on its way to a person. */
export function maskError<E>(e: E, mask: Mask): E {
  if (e instanceof Error) {
    e.message = mask(e.message);
    if (e.stack) e.stack = mask(e.stack);
  }
  return e;
}

/** JSON text with every string masked before it is escaped (a secret with a quote or backslash still matches). */
export const maskedJson = (value: unknown, mask: Mask): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? mask(v) : v));
