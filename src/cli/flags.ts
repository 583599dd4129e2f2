// Parsing flag values into typed options, with one-line errors naming the flag.
import { usageError } from '../errors.js';

export interface ClusterUrl {
  host: string;
  port: number;
  user: string;
}

/** `mysql://user@host:port` (user defaults to root, port to 9030). Passwords never come from here. */
export function parseClusterUrl(text: string, flag: string): ClusterUrl {
  const m = /^(?:mysql:\/\/)?(?:([^:@/\s]+)(:[^@]*)?@)?([A-Za-z0-9][A-Za-z0-9._-]*)(?::(\d+))?\/?$/.exec(text.trim());
  if (!m) throw usageError('bad-url', `${flag} '${text}' is not a cluster URL: use mysql://user@host:port`);
  if (m[2]) throw usageError('password-in-url', `${flag} must not carry a password: set DORIS_SOURCE_PASSWORD / DORIS_TARGET_PASSWORD instead`);
  const port = m[4] ? Number(m[4]) : 9030;
  if (port < 1 || port > 65535) throw usageError('bad-url', `${flag} '${text}': port ${port} is out of range`);
  return { user: m[1] ?? 'root', host: m[3]!, port };
}

export const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean);

export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usageError('bad-number', `${flag} must be a positive integer, got '${text}'`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** `512GiB`, `1TiB`, `200g` → bytes. */
export function parseSize(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw usageError('bad-size', `${flag} must be a size such as 512GiB or 1TiB, got '${text}'`);
  return Math.round(Number(m[1]) * unit);
}

/** Repeated `key=value` flags to a record. */
export function keyValues(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw usageError('bad-pair', `${flag} takes key=value, got '${v}'`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
