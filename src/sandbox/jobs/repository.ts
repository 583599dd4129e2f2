// Repositories: CREATE [READ ONLY] REPOSITORY, DROP, SHOW REPOSITORIES / CREATE REPOSITORY, and the
// object store behind each (doris-facts.md Part B §2, §7).
import { join } from 'node:path';
import { ok, rows, type Engine, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { formatDateTime } from '../format.js';
import { allocId } from '../store.js';
import { atLeast } from '../version.js';
import { jobsState, isDone, type RepoKind, type RepoRecord } from './model.js';
import { azureStore, localStore, s3Store, type ObjStore } from './objstore.js';

export const repoRoot = (name: string): string => `__palo_repository_${name}/`;

/** Case-insensitive property lookup over the canonical key and its aliases. */
function prop(props: Record<string, string>, ...keys: string[]): string | undefined {
  const lower = Object.fromEntries(Object.entries(props).map(([k, v]) => [k.toLowerCase(), v]));
  for (const k of keys) if (lower[k.toLowerCase()] !== undefined) return lower[k.toLowerCase()];
  return undefined;
}

const isAzure = (props: Record<string, string>): boolean => prop(props, 'provider')?.toUpperCase() === 'AZURE';

/** Builds the object store a repository writes to; throws a plain Error for bad properties. */
export async function openStore(sim: Engine, dataDir: string, repo: Pick<RepoRecord, 'name' | 'kind' | 'location' | 'properties'>): Promise<ObjStore> {
  const state = jobsState(sim.world);
  let store: ObjStore;
  const [, scheme, rest] = /^(\w+):\/\/(.*)$/.exec(repo.location) ?? [];
  const [bucket = '', ...prefixParts] = (rest ?? '').split('/');
  const prefix = prefixParts.join('/');
  if (repo.kind === 'HDFS') {
    store = localStore(join(dataDir, 'hdfs', bucket.replace(/:/g, '_'), prefix));
  } else if (repo.kind === 'AZURE') {
    const newest = atLeast(sim.version, 4, 0);
    const account = prop(repo.properties, ...(newest ? ['azure.account_name', 'azure.access_key'] : []), 's3.access_key', 'AWS_ACCESS_KEY') ?? '';
    const key = prop(repo.properties, ...(newest ? ['azure.account_key', 'azure.secret_key'] : []), 's3.secret_key', 'AWS_SECRET_KEY') ?? '';
    // 3.0 builds its client on the public endpoint whatever s3.endpoint says; 4.0 honours a custom one.
    const endpoint = newest ? (prop(repo.properties, 'azure.endpoint', 's3.endpoint', 'AWS_ENDPOINT') ?? `https://${account}.blob.core.windows.net`) : `https://${account}.blob.core.windows.net`;
    store = await azureStore({ endpoint, account, key, container: bucket, prefix });
  } else {
    const endpoint = prop(repo.properties, 's3.endpoint', 'AWS_ENDPOINT', ...(atLeast(sim.version, 4, 0) ? ['endpoint', 'aws.endpoint'] : []));
    if (!endpoint) throw new Error('Missing [s3.endpoint] in properties.');
    store = await s3Store({
      endpoint,
      region: prop(repo.properties, 's3.region', 'AWS_REGION', 'region') ?? 'us-east-1',
      accessKey: prop(repo.properties, 's3.access_key', 'AWS_ACCESS_KEY', 'access_key') ?? '',
      secretKey: prop(repo.properties, 's3.secret_key', 'AWS_SECRET_KEY', 'secret_key') ?? '',
      sessionToken: prop(repo.properties, 's3.session_token', 'AWS_TOKEN'),
      pathStyle: (prop(repo.properties, 'use_path_style', 's3.path-style-access') ?? 'false').toLowerCase() === 'true',
      bucket,
      prefix: scheme === 's3' ? prefix : prefix,
    });
  }
  // The UNREACHABLE fault wraps every call.
  const guard = <T>(fn: () => Promise<T>): Promise<T> =>
    state.unreachable.includes(repo.name) ? Promise.reject(new Error(`Connection refused: ${repo.location}`)) : fn();
  return {
    put: (k, b) => guard(() => store.put(k, b)),
    get: (k) => guard(() => store.get(k)),
    list: (p) => guard(() => store.list(p)),
    delete: (k) => guard(() => store.delete(k)),
  };
}

const REPO_NAME_OLD = /^[a-zA-Z][a-zA-Z0-9-_]{0,63}$/;
const REPO_NAME_NEW = /^[a-zA-Z][a-zA-Z0-9\-_]{0,255}$/;

export function createRepository(dataDir: string): StatementHandler {
  return {
    name: 'CREATE REPOSITORY',
    match: (c) => c.at('CREATE', 'REPOSITORY') || c.at('CREATE', 'READ', 'ONLY', 'REPOSITORY'),
    async run(c, { sim, session }) {
      c.expect('CREATE');
      const readOnly = c.accept('READ', 'ONLY');
      c.expect('REPOSITORY');
      const name = c.ident();
      c.expect('WITH');
      const backend = c.ident().toUpperCase();
      if (backend === 'BROKER') c.ident();
      c.expect('ON', 'LOCATION');
      const location = c.string();
      const properties = c.accept('PROPERTIES') ? c.properties() : {};
      c.end();
      sim.requireAdmin(session);
      const newest = atLeast(sim.version, 4, 0);
      if (!(newest ? REPO_NAME_NEW : REPO_NAME_OLD).test(name)) {
        throw dorisError(newest ? `Incorrect repository name '${name}', required format is '${REPO_NAME_NEW.source}'` : `Incorrect repository name '${name}'`);
      }
      if (backend !== 'S3' && backend !== 'HDFS') throw dorisError(`${backend === 'LOCAL' ? 'Local file system' : backend} is not support now.`);
      if (!location) throw dorisError('You must specify a location on the repository');
      if (!newest) {
        if (!/^\w+:\/\//.test(location)) throw dorisError('Invalid export path, there is no schema of URI found. please check your path.');
        if (backend === 'S3' && !location.startsWith('s3://')) throw dorisError("Invalid export path. please use valid 's3://' path.");
        if (backend === 'HDFS' && !/^(hdfs|viewfs):\/\//i.test(location)) throw dorisError("Invalid export path. please use valid 'HDFS://' or 'viewfs://' path.");
      }
      if (sim.version.major === 3 && sim.version.minor === 0 && prop(properties, 'provider') && !['COS', 'OSS', 'S3', 'OBS', 'BOS', 'AZURE', 'GCP'].includes(prop(properties, 'provider')!.toUpperCase())) {
        throw dorisError('Provider must be one of OSS, OBS, AZURE, BOS, COS, S3, GCP');
      }
      const state = jobsState(sim.world);
      if (state.repositories[name]) throw dorisError(`Failed to create repository: repository with same name already exist: ${name}`);
      const kind: RepoKind = backend === 'HDFS' ? 'HDFS' : isAzure(properties) && sim.version.major >= 3 ? 'AZURE' : 'S3';
      const record: RepoRecord = { id: allocId(sim.world), name, readOnly, kind, location, properties, createTime: formatDateTime(sim.clock.now()), errMsg: null };
      const pings = sim.version.major >= 4 || (sim.version.major === 3 && sim.version.patch >= 2) || (sim.version.minor === 1 && sim.version.patch >= 6);
      try {
        const store = await openStore(sim, dataDir, record);
        const infoKey = `${repoRoot(name)}__repo_info`;
        const found = (await store.list(infoKey)).filter((o) => o.key === infoKey);
        if (found.length === 1) {
          const info = JSON.parse((await store.get(infoKey)).toString('utf8')) as { name?: string; create_time?: string };
          if (info.name !== name) throw new Error(`Invalid repository __repo_info, expected repo '${name}', but get name '${info.name}' from ${location}/${infoKey}`);
          if (info.create_time) record.createTime = info.create_time;
        } else {
          await store.put(infoKey, Buffer.from(JSON.stringify({ name, create_time: record.createTime })));
        }
      } catch (e) {
        const msg = (e as Error).message;
        if (msg.startsWith('Invalid repository') || msg.startsWith('Missing [')) throw dorisError(`Failed to create repository: ${msg}`);
        if (pings) {
          // Newer builds register the repository, then fail the connectivity check.
          record.errMsg = `${formatDateTime(sim.clock.now())}: failed to connect to the repo`;
          state.repositories[name] = record;
          sim.changed();
          throw dorisError('Failed to create repository: failed to connect to the repo');
        }
        throw dorisError(`Failed to create repository: ${msg.split('\n')[0]}`);
      }
      state.repositories[name] = record;
      sim.changed();
      return ok();
    },
  };
}

export const dropRepository: StatementHandler = {
  name: 'DROP REPOSITORY',
  match: (c) => c.at('DROP', 'REPOSITORY'),
  run(c, { sim, session }) {
    c.expect('DROP', 'REPOSITORY');
    const name = c.ident();
    c.end();
    sim.requireAdmin(session);
    const state = jobsState(sim.world);
    if (!state.repositories[name]) throw dorisError('Repository does not exist');
    if (state.jobs.some((j) => j.repo === name && !isDone(j))) throw dorisError('Backup or restore job is running on this repository. Can not drop it');
    delete state.repositories[name];
    sim.changed();
    return ok();
  },
};

const adminForShow = (sim: Engine, session: Parameters<Engine['requireAdmin']>[0]): void => {
  // 2.0 checks nothing here; later lines need ADMIN and name it as `Admin_priv`.
  if (sim.version.major > 2 || sim.version.minor >= 1) sim.requireAdmin(session, 'Admin_priv');
};

export const showRepositories: StatementHandler = {
  name: 'SHOW REPOSITORIES',
  match: (c) => c.at('SHOW', 'REPOSITORIES'),
  run(c, { sim, session }) {
    c.expect('SHOW', 'REPOSITORIES');
    c.end();
    adminForShow(sim, session);
    return rows(
      ['RepoId', 'RepoName', 'CreateTime', 'IsReadOnly', 'Location', 'Broker', 'Type', 'ErrMsg'],
      Object.values(jobsState(sim.world).repositories).map((r) => [String(r.id), r.name, r.createTime, String(r.readOnly), r.location, '-', r.kind, r.errMsg]),
    );
  },
};

export const showCreateRepository: StatementHandler = {
  name: 'SHOW CREATE REPOSITORY',
  match: (c) => c.at('SHOW', 'CREATE', 'REPOSITORY'),
  run(c, { sim, session }) {
    c.expect('SHOW', 'CREATE', 'REPOSITORY', 'FOR');
    const name = c.ident();
    c.end();
    adminForShow(sim, session);
    const r = jobsState(sim.world).repositories[name];
    if (!r) throw dorisError('repository not exist.');
    if (r.kind === 'AZURE') throw dorisError('Unsupported repository type: AZURE');
    const masked = Object.entries(r.properties).map(([k, v]) => `"${k}" = "${/secret|password|token/i.test(k) ? '*XXX' : v}"`);
    const text = `CREATE ${r.readOnly ? 'READ ONLY ' : ''}REPOSITORY ${r.name} \nWITH  ${r.kind} \nON LOCATION "${r.location}"\nPROPERTIES\n(${masked.join(',\n')})`;
    return rows(['RepoName', 'CreateStmt'], [[r.name, text]]);
  },
};
