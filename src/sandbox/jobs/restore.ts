// RESTORE SNAPSHOT: property parsing in Doris's order, submission checks, and applying a snapshot
// to the target database with Doris's rules (doris-facts.md Part B §5).
import { codedError, dorisError } from '../errors.js';
import { ok, type Ctx, type Engine, type Result, type StatementHandler } from '../engine.js';
import type { Cursor } from '../sql/cursor.js';
import { allocId, replicaCount, type SimDatabase, type SimTable } from '../store.js';
import { atLeast } from '../version.js';
import { jobsState, type RestoreJob, type RestoreProps, type TableRef } from './model.js';
import type { ObjStore } from './objstore.js';
import { historyRecordingStatement, parseRefs, type RecordHistory } from './backup.js';
import { bool, oneJobPerDatabase, refuseCloud, repository, timeoutSeconds } from './rules.js';
import { readInfo, type SnapshotMeta } from './snapshot-files.js';

const since = (sim: Engine, p20: number, p21: number, p30: number): boolean => {
  const v = sim.version;
  if (v.major >= 4) return true;
  if (v.major === 3) return v.patch >= p30;
  return v.minor === 1 ? v.patch >= p21 : v.patch >= p20;
};

/** Parses RESTORE PROPERTIES in Doris's order, so the same error wins (§5.2). */
export function parseRestoreProps(sim: Engine, input: Record<string, string>): { props: RestoreProps; backupTimestamp: string; timeout: number } {
  const p = { ...input };
  const timeout = timeoutSeconds(p.timeout);
  delete p.timeout;
  const allowLoad = bool(p, 'allow_load');
  let allocation = 'tag.location.default: 3';
  if (p.replication_num !== undefined) {
    const n = Number(p.replication_num);
    if (!Number.isInteger(n) || n < 1 || n > 32767) throw dorisError('Replication num should between 1 and 32767');
    allocation = `tag.location.default: ${n}`;
    delete p.replication_num;
  } else if (p.replication_allocation !== undefined) {
    allocation = p.replication_allocation;
    delete p.replication_allocation;
    const wanted = replicaCount(allocation);
    if (wanted > sim.world.backends.alive) throw dorisError(`Failed to find enough backend, please check the replication num,replication tag and storage medium and avail capacity of backends or maybe all be on same host. Create failed replications: replication num: ${wanted}`);
  }
  const reserveReplica = bool(p, 'reserve_replica');
  const reserveColocate = atLeast(sim.version, 4, 0) ? bool(p, 'reserve_colocate') : false;
  const reserveDynamicPartitionEnable = bool(p, 'reserve_dynamic_partition_enable');
  const backupTimestamp = p.backup_timestamp;
  if (backupTimestamp === undefined) throw dorisError('Missing backup_timestamp property');
  delete p.backup_timestamp;
  if (p.meta_version !== undefined) {
    if (!/^\d+$/.test(p.meta_version)) throw dorisError(`Invalid meta version format: ${p.meta_version}`);
    delete p.meta_version;
  }
  bool(p, 'is_being_synced');
  const hasClean = since(sim, 15, 6, 2);
  const cleanTables = hasClean ? bool(p, 'clean_tables') : false;
  const cleanPartitions = hasClean ? bool(p, 'clean_partitions') : false;
  const atomicRestore = since(sim, 16, 7, 3) ? bool(p, 'atomic_restore') : false;
  const forceReplace = since(sim, 99, 9, 5) ? bool(p, 'force_replace') : false;
  const unknown = Object.keys(p);
  if (unknown.length) throw dorisError(`Unknown restore job properties: [${unknown.join(', ')}]`);
  return {
    props: { allowLoad, replicationAllocation: allocation, reserveReplica, reserveDynamicPartitionEnable, reserveColocate, cleanTables, cleanPartitions, atomicRestore, forceReplace },
    backupTimestamp,
    timeout,
  };
}

async function submit(c: Cursor, ctx: Ctx, store: (repo: string) => Promise<ObjStore>): Promise<Result> {
  const { sim, session } = ctx;
  c.expect('RESTORE', 'SNAPSHOT');
  const name = c.qualified();
  const label = name[name.length - 1]!;
  const dbName = name.length > 1 ? name[name.length - 2] : session.db;
  c.expect('FROM');
  const repoName = c.ident();
  let refs: TableRef[] | undefined;
  let exclude = false;
  if (c.accept('ON')) refs = parseRefs(c);
  else if (c.accept('EXCLUDE')) {
    refs = parseRefs(c);
    exclude = true;
    if (refs.some((r) => r.alias)) throw dorisError('The table alias in exclude clause does not make sense');
  }
  c.expect('PROPERTIES');
  const input = c.properties();
  c.end();
  if (!dbName) throw codedError(1046, '3D000', 'No database selected');
  const seen = new Set<string>();
  for (const r of refs ?? []) {
    const n = r.alias ?? r.name;
    if (seen.has(n)) throw dorisError(`Duplicated alias name: ${n}`);
    seen.add(n);
  }
  const { props, backupTimestamp, timeout } = parseRestoreProps(sim, input);
  sim.requireDbPriv(session, dbName, 'LOAD');
  refuseCloud(sim);
  if (repoName === '__keep_on_local__') throw dorisError('restore from the local repo via SQL call is not supported');
  const repo = repository(sim, repoName);
  const db = sim.database(dbName, session);
  oneJobPerDatabase(sim, db.name, label);
  let info: Record<string, unknown>;
  try {
    info = await readInfo(await store(repoName), repoName, label, backupTimestamp, repo.location);
  } catch (e) {
    throw dorisError(`Failed to get info of snapshot '${label}' because: ${(e as Error).message}. Maybe specified wrong backup timestamp`);
  }
  const objects = info.backup_objects as Record<string, { partitions: Record<string, unknown> }>;
  const views = (info.new_backup_objects as { views: { name: string }[] }).views.map((v) => v.name);
  if (refs && !exclude) {
    for (const r of refs) {
      const t = objects[r.name];
      if (!t && !views.includes(r.name)) throw dorisError(`Table ${r.name} does not exist in snapshot ${label}`);
      for (const p of r.partitions ?? []) if (!t?.partitions[p]) throw dorisError(`Partition ${p} of table ${r.name} does not exist in snapshot`);
    }
  }
  const now = sim.clock.now();
  const job: RestoreJob = {
    kind: 'restore', key: allocId(sim.world), jobId: -1, label, db: db.name, repo: repoName, state: 'PENDING', createTime: now, finishedTime: null,
    status: '[OK]', timeoutSeconds: timeout, nextAt: now + 3000, bytes: 0, progress: '', backupTimestamp, sourceDb: typeof info.database === 'string' ? info.database : '', refs, exclude, props,
    restoreObjs: JSON.stringify({ name: label, database: info.database, backup_time: info.backup_time, content: info.content }, null, 2),
    metaPreparedTime: null, snapshotFinishedTime: null, downloadFinishedTime: null,
  };
  jobsState(sim.world).jobs.push(job);
  sim.changed();
  return ok();
}

export const restoreStatement = (store: (repo: string) => Promise<ObjStore>, record: RecordHistory): StatementHandler => historyRecordingStatement('RESTORE', submit, store, record);

/** What a table looks like for Doris's "same schema" test (simplified OlapTable signature). */
const signature = (t: SimTable): string =>
  JSON.stringify([t.type, t.columns.map((c) => [c.name, c.type, c.aggregation ?? '']), t.keysType, t.keyColumns, t.partitionType, t.partitionColumns, t.distribution.type, t.distribution.columns, t.distribution.buckets]);

/** The tables of the snapshot this job restores, renamed by alias, filtered by ON/EXCLUDE/PARTITION. */
export function selectRestoreSet(job: RestoreJob, meta: SnapshotMeta): SimTable[] {
  const out: SimTable[] = [];
  for (const t of meta.tables) {
    const ref = job.refs?.find((r) => r.name === t.name);
    if (job.refs && !job.exclude && !ref) continue;
    if (job.exclude && ref) continue;
    const copy = structuredClone(t);
    if (ref?.alias) copy.name = ref.alias;
    if (!job.exclude && ref?.partitions) copy.partitions = copy.partitions.filter((p) => ref.partitions!.includes(p.name));
    out.push(copy);
  }
  return out;
}

/** Checks done while PENDING; a failure cancels the job with Doris's text. */
export function validateRestore(sim: Engine, job: RestoreJob, db: SimDatabase, set: SimTable[]): void {
  const p = job.props;
  for (const t of set) {
    const local = db.tables[t.name];
    if (t.type === 'VIEW') {
      if (local && local.query !== t.query && !(p.atomicRestore && p.forceReplace)) throw new Error(`View ${t.name} already exist but with different schema`);
      continue;
    }
    const wanted = p.reserveReplica ? replicaCount(t.properties.replication_allocation ?? '') : replicaCount(p.replicationAllocation);
    if (wanted > sim.world.backends.alive) {
      throw new Error(`errCode = 2, detailMessage = replication num should be less than the number of available backends. replication num is ${wanted}, available backend num is ${sim.world.backends.alive}`);
    }
    if (!local) continue;
    if (local.type !== 'OLAP') throw new Error(`${sim.version.major >= 4 ? 'Only support restore' : 'Only support retore'} OLAP table: ${t.name}`);
    if (atLeast(sim.version, 4, 0) && local.properties.colocate_with) throw new Error(`Not support to restore to local table ${t.name} with colocate group.`);
    if (signature(local) !== signature(t) && !(p.atomicRestore && p.forceReplace)) throw new Error(`Table ${t.name} already exist but with different schema`);
    if (!p.atomicRestore) {
      for (const part of t.partitions) {
        const lp = local.partitions.find((x) => x.name === part.name);
        if (lp && replicaCount(lp.replicationAllocation) !== wanted) {
          throw new Error(`Partition ${part.name} in table ${t.name} has different replication num '${replicaCount(lp.replicationAllocation)}' with partition in repository, which is ${wanted}`);
        }
      }
    }
  }
}

/** The restored form of a snapshot table on this target (replication, colocation, dynamic partitions). */
function restoredTable(sim: Engine, job: RestoreJob, t: SimTable): SimTable {
  const p = job.props;
  const copy = structuredClone(t);
  copy.id = allocId(sim.world);
  if (!p.reserveReplica) {
    copy.properties.replication_allocation = p.replicationAllocation;
    for (const part of copy.partitions) part.replicationAllocation = p.replicationAllocation;
  }
  if (!(atLeast(sim.version, 4, 0) && p.reserveColocate)) delete copy.properties.colocate_with;
  if (copy.properties['dynamic_partition.enable'] !== undefined && !p.reserveDynamicPartitionEnable) copy.properties['dynamic_partition.enable'] = 'false';
  for (const part of copy.partitions) {
    part.id = allocId(sim.world);
    part.tabletIdBase = allocId(sim.world, part.buckets);
  }
  copy.state = 'NORMAL';
  copy.createTime = sim.clock.now();
  copy.updateTime = copy.createTime;
  return copy;
}

/** COMMITTING: data becomes visible on the target. */
export function commitRestore(sim: Engine, job: RestoreJob, db: SimDatabase, set: SimTable[]): void {
  const p = job.props;
  for (const t of set) {
    const local = db.tables[t.name];
    if (t.type === 'VIEW') {
      db.tables[t.name] = { ...structuredClone(t), id: local?.id ?? allocId(sim.world), query: job.sourceDb ? (t.query ?? '').split(`${job.sourceDb}.`).join(`${db.name}.`) : t.query };
      continue;
    }
    const restored = restoredTable(sim, job, t);
    if (!local || p.atomicRestore) {
      db.tables[t.name] = restored;
      continue;
    }
    // Same-schema table: overwrite the snapshot's partitions in place, keep the others.
    for (const part of restored.partitions) {
      const i = local.partitions.findIndex((x) => x.name === part.name);
      if (i >= 0) local.partitions[i] = { ...part, id: local.partitions[i]!.id };
      else local.partitions.push(part);
    }
    if (p.cleanPartitions) local.partitions = local.partitions.filter((x) => restored.partitions.some((r) => r.name === x.name));
    local.state = 'NORMAL';
    local.updateTime = sim.clock.now();
  }
  if (p.cleanTables) {
    const keep = new Set(set.map((t) => t.name));
    for (const name of Object.keys(db.tables)) if (!keep.has(name) && (db.tables[name]!.type === 'OLAP' || db.tables[name]!.type === 'VIEW')) delete db.tables[name];
  }
}
