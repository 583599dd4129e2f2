// The repository of `plan`: location, the settings its storage needs (S3 provider, endpoint,
// region, addressing; Azure endpoint; HDFS user and properties), its name on both clusters and
// its credentials, each checked before the catalog is read. In a terminal every missing setting
// is asked and a failed check asks again; without one a failure is the answer.
import type { DorisClient } from '../../doris/client.js';
import { DorisQueryError } from '../../doris/client.js';
import { text } from '../../doris/parse-results.js';
import { sql } from '../../doris/sql.js';
import { isMigrateError, refusedError, usageError } from '../../errors.js';
import type { RepositorySettings } from '../../plan/schema.js';
import type { PreflightResult } from '../../storage/backend.js';
import { parseLocation, S3_PROVIDERS, settingsFromLocation, type LocationFlags, type S3Provider } from '../../storage/location.js';
import { repositoryDefinition, type DorisLine } from '../../storage/properties.js';
import { writeLine, type CliIO } from '../io.js';
import { validBy, type Asker } from './asker.js';

export interface RepositoryQuestion {
  location: string | undefined;
  name: string;
  flags: LocationFlags;
  clusters: { which: 'source' | 'target'; client: DorisClient; version: DorisLine }[];
  io: CliIO;
  env: Record<string, string | undefined>;
  asker: Asker | undefined;
}

export interface ChosenRepository {
  name: string;
  settings: RepositorySettings;
  /** The answers as flags (for the equivalent command line). */
  flags: LocationFlags;
  preflight: PreflightResult;
  /** Secrets typed at a prompt because their variable was not set: used for this run only. */
  typedSecrets: string[];
}

const LOCATION_HINT = 'repository location (s3://bucket/prefix, azure://account/container/prefix, hdfs://namenode:port/path)';
const PROVIDER_NAMES: Record<S3Provider, string> = {
  aws: 'AWS S3',
  minio: 'MinIO (path-style, your endpoint)',
  oss: 'Alibaba Cloud OSS',
  cos: 'Tencent Cloud COS',
  gcs: 'Google Cloud Storage (S3 interoperability)',
  other: 'another S3-compatible store (your endpoint)',
};
const validUrl = (flag: string) => validBy((v) => {
  if (!/^https?:\/\/[^\s/]+/.test(v)) throw new Error(`${flag} must be an http:// or https:// URL`);
});

/** Asks what the location's storage needs and the flags did not say. */
export async function askSettings(location: string, given: LocationFlags, asker: Asker | undefined): Promise<LocationFlags> {
  const parsed = parseLocation(location);
  const out: LocationFlags = { ...given };
  if (!asker) return out;
  if (parsed.backend === 's3') {
    if (!out.s3Provider && !out.s3Endpoint) {
      out.s3Provider = await asker.select('S3 provider:', (Object.keys(S3_PROVIDERS) as S3Provider[]).map((p) => ({ name: PROVIDER_NAMES[p], value: p })), 'aws');
    }
    const preset = S3_PROVIDERS[(out.s3Provider ?? 'other') as S3Provider] ?? S3_PROVIDERS.other;
    out.s3Region ??= await asker.input('S3 region:', (v) => (v.trim() ? true : 'give a region (us-east-1 for most self-hosted stores)'), preset.region);
    if (!out.s3Endpoint) {
      const suggested = preset.endpoint?.(out.s3Region);
      const answer = await asker.input('S3 endpoint URL:', validUrl('the endpoint'), suggested);
      // The preset's own endpoint stays implied, so the command line stays short.
      if (answer !== suggested) out.s3Endpoint = answer;
    }
    out.s3PathStyle ??= await asker.confirm('path-style addressing (http://endpoint/bucket/key)?', preset.pathStyle);
  } else if (parsed.backend === 'azure') {
    if (!out.azureEndpoint) {
      const suggested = `https://${parsed.account}.blob.core.windows.net`;
      const answer = await asker.input('Azure Blob endpoint URL:', validUrl('the endpoint'), suggested);
      if (answer !== suggested) out.azureEndpoint = answer;
    }
  } else {
    if (out.hdfsUser === undefined) {
      const user = await asker.input('HDFS user (hadoop.username; empty for the FE\'s own):', undefined, '');
      if (user) out.hdfsUser = user;
    }
    if (!out.hdfsProperties || !Object.keys(out.hdfsProperties).length) {
      const extra = await asker.input('extra HDFS properties, key=value separated by spaces (Kerberos, HA; empty for none):', validBy(parsePairs), '');
      out.hdfsProperties = parsePairs(extra);
    }
    if (out.webhdfs === undefined) {
      const web = await asker.input('WebHDFS URL to check the directory from here (empty to let Doris check it):', (v) => (v === '' ? true : validUrl('the WebHDFS URL')(v)), '');
      if (web) out.webhdfs = web;
    }
  }
  return out;
}

function parsePairs(textValue: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of textValue.split(/\s+/).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`'${pair}' is not key=value`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** Where a cluster already has a repository of this name at another location, why that is a problem. */
async function nameTakenElsewhere(q: RepositoryQuestion, name: string, settings: RepositorySettings): Promise<string | undefined> {
  for (const c of q.clusters) {
    const location = repositoryDefinition(settings, c.version).location;
    let rows;
    try {
      rows = await c.client.query(sql.showRepositories());
    } catch (e) {
      // Without ADMIN the plan is refused anyway, with a clearer message.
      if (e instanceof DorisQueryError) continue;
      throw e;
    }
    const row = rows.find((r) => text(r, 'RepoName') === name);
    const registered = row ? (text(row, 'Location') ?? '') : undefined;
    if (registered !== undefined && registered.replace(/\/+$/, '') !== location.replace(/\/+$/, '')) {
      return `repository ${name} is already registered on the ${c.which} at ${registered}, not at ${location}`;
    }
  }
  return undefined;
}

/** The variables the backend's credentials come from. */
const secretEnvs = (s: RepositorySettings): string[] => (s.backend === 's3' ? [s.accessKeyEnv, s.secretKeyEnv] : s.backend === 'azure' ? [s.accountKeyEnv] : []);

export async function chooseRepository(q: RepositoryQuestion): Promise<ChosenRepository> {
  const { openRepository } = await import('../../storage/backend.js');
  const { readCredentials } = await import('../../storage/credentials.js');
  let location = q.location;
  let given = q.flags;
  let name = q.name;
  const env = { ...q.env };
  const typedSecrets: string[] = [];
  for (;;) {
    if (location === undefined) {
      if (!q.asker) throw usageError('missing-flag', `missing --repository (${LOCATION_HINT}): pass it, or run in a terminal to be asked`);
      location = await q.asker.input(`${LOCATION_HINT}:`, validBy(parseLocation));
    }
    const flags = await askSettings(location, given, q.asker);
    const settings = settingsFromLocation(location, flags);
    try {
      // A version that cannot express this storage (Azure before 3.0) is refused here.
      for (const c of q.clusters) repositoryDefinition(settings, c.version);
      for (let taken = await nameTakenElsewhere(q, name, settings); taken; taken = await nameTakenElsewhere(q, name, settings)) {
        if (!q.asker) throw refusedError('repository-name-taken', `${taken}: plan with another --repository-name, or drop it there (DROP REPOSITORY ${name})`);
        writeLine(q.io.stderr, `  ${taken}`);
        name = await q.asker.input('another repository name:', (v) => (/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(v) ? true : 'letters, digits and _, starting with a letter'));
      }
      for (const variable of secretEnvs(settings)) {
        if (env[variable] || !q.asker) continue;
        env[variable] = await q.asker.password(`${variable} (not set; used for this check only: export it before apply):`);
        typedSecrets.push(variable);
      }
      writeLine(q.io.stderr, `Checking the repository ${settings.location}`);
      const preflight = await (await openRepository(settings, readCredentials(settings, env))).preflight(name);
      if (preflight.note) writeLine(q.io.stderr, `  ${preflight.note}`);
      return { name, settings, flags, preflight, typedSecrets };
    } catch (e) {
      if (!q.asker || !isMigrateError(e) || e.code === 'repository-name-taken') throw e;
      // Ask again from the location: any of its settings may be the wrong one.
      writeLine(q.io.stderr, `  ${e.message}`);
      location = undefined;
      given = {};
    }
  }
}
