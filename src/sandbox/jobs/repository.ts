// Repository statements: CREATE [READ ONLY] REPOSITORY, DROP REPOSITORY, SHOW REPOSITORIES,
// SHOW CREATE REPOSITORY (doris-facts.md Part B §2.5-§2.7).
import { ok, rows, type Engine, type Session, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { ObjStore } from '../objstore/types.js';
import { repoInfoKey } from '../repository/layout.js';
import { checkDefinition, storeSpec, type StoreSpec } from '../repository/properties.js';
import { checkRepositoryName } from '../name-format.js';
import { allocId } from '../store.js';
import { atLeast } from '../version.js';
import { isDone, jobsState, type RepoRecord } from './model.js';

/** Opens (or reuses) the store a spec names; provided by jobs/index.ts. */
export type OpenStore = (repoName: string, spec: StoreSpec, location: string) => Promise<ObjStore>;

/** 2.1.6+, 3.0.2+ and the newest line check connectivity after registering the repository. */
const pingsAfterCreate = (sim: Engine): boolean => atLeast(sim.version, 4, 0) || atLeast(sim.version, 3, 0, 2) || (sim.version.major === 2 && sim.version.minor === 1 && sim.version.patch >= 6);

const firstLine = (e: unknown): string => String((e as Error).message ?? e).split('\n')[0]!;

/** Adopts an existing `__repo_info` (same name) or writes one; returns the CreateTime to show. */
async function initRepository(store: ObjStore, record: RepoRecord): Promise<string> {
  const key = repoInfoKey(record.name);
  const path = `${record.location.replace(/\/+$/, '')}/${key}`;
  let found;
  try {
    found = await store.list(key);
  } catch (e) {
    throw new Error(`failed to list ${path}: ${firstLine(e)}`);
  }
  const exact = found.filter((o) => o.key === key);
  if (found.some((o) => o.key.startsWith(`${key}/`))) throw new Error('the existing repo info is not a file');
  if (exact.length === 1) {
    const info = JSON.parse((await store.get(key)).toString('utf8')) as { name?: string; create_time?: string };
    if (info.name !== record.name) throw new Error(`Invalid repository __repo_info, expected repo '${record.name}', but get name '${info.name}' from ${path}`);
    return info.create_time ?? record.createTime;
  }
  try {
    await store.put(key, Buffer.from(JSON.stringify({ name: record.name, create_time: record.createTime })));
  } catch (e) {
    throw new Error(`failed to write ${path}: ${firstLine(e)}`);
  }
  return record.createTime;
}

export function createRepository(open: OpenStore): StatementHandler {
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
      const broker = backend === 'BROKER' ? c.ident() : undefined;
      c.expect('ON', 'LOCATION');
      const location = c.string();
      const properties = c.accept('PROPERTIES') ? c.properties() : {};
      c.end();
      // CreateRepositoryStmt.analyze: the ADMIN check comes before the name's.
      sim.requireAdmin(session);
      checkRepositoryName({ sim, session }, name);
      const kind = checkDefinition(sim.version, { name, backend, ...(broker ? { broker } : {}), location, properties });
      const state = jobsState(sim.world);
      if (state.repositories[name]) throw dorisError(`Failed to create repository: repository with same name already exist: ${name}`);
      const record: RepoRecord = { id: allocId(sim.world), name, readOnly, kind, location, properties, createTime: formatDateTime(sim.clock.now()), errMsg: null };
      let store: ObjStore;
      try {
        store = await open(name, storeSpec(sim.version, kind, location, properties), location);
        record.createTime = await initRepository(store, record);
      } catch (e) {
        // Storage errors (bad endpoint, keys, bucket) fail the statement; nothing is registered.
        throw dorisError(`Failed to create repository: ${firstLine(e)}`);
      }
      state.repositories[name] = record;
      sim.changed();
      if (pingsAfterCreate(sim) && !(await store.head(repoInfoKey(name)).then(Boolean, () => false))) {
        // The repository stays registered, with the failure in ErrMsg.
        record.errMsg = `${formatDateTime(sim.clock.now())}: failed to connect to the repo`;
        throw dorisError('Failed to create repository: failed to connect to the repo');
      }
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
    // Only the FE's record goes: the files stay in the store.
    delete state.repositories[name];
    sim.changed();
    return ok();
  },
};

/** 2.0 checks nothing for these SHOWs; later lines need ADMIN and name it `Admin_priv`. */
const adminForShow = (sim: Engine, session: Session): void => {
  if (atLeast(sim.version, 2, 1)) sim.requireAdmin(session, 'Admin_priv');
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
    // Doris only renders S3, HDFS and BROKER repositories (exact client text unconfirmed).
    if (r.kind === 'AZURE') throw dorisError('Unsupported repository type: AZURE');
    const masked = Object.entries(r.properties).map(([k, v]) => `"${k}" = "${/secret|password|token|account_key/i.test(k) ? '*XXX' : v}"`);
    const text = `CREATE ${r.readOnly ? 'READ ONLY ' : ''}REPOSITORY ${r.name} \nWITH  ${r.kind} \nON LOCATION "${r.location}"\nPROPERTIES\n(${masked.join(',\n')})`;
    return rows(['RepoName', 'CreateStmt'], [[r.name, text]]);
  },
};
