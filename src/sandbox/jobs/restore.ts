// RESTORE SNAPSHOT: property parsing in Doris's order, submission checks, and applying a snapshot
// to the target database with Doris's rules (doris-facts.md Part B §5).
import { codedError, dorisError } from '../errors.js';
import { ok, type Ctx, type Engine, type Result, type StatementHandler } from '../engine.js';
import type { Cursor } from '../sql/cursor.js';
import { allocId, replicaCount, type SimDatabase, type SimTable } from '../store.js';
import { overlapsAny } from '../exec/table-build.js';
import { atLeast } from '../version.js';
import { jobsState, type RestoreJob, type RestoreProps, type TableRef } from './model.js';
import type { ObjStore } from '../objstore/types.js';
import { readInfo, type SnapshotInfo, type SnapshotMeta } from '../repository/snapshots.js';
import { historyRecordingStatement, namesTableInTempErrors, parseRefs, type RecordHistory } from './backup.js';
import { checkLabel } from '../name-format.js';
import { bool, oneJobPerDatabase, refuseCloud, repository, timeoutSeconds } from './rules.js';
import { intersectPartitions, tableSignature } from './restore-signature.js';

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
  const isBeingSynced = bool(p, 'is_being_synced');
  const hasClean = since(sim, 15, 6, 2);
  const cleanTables = hasClean ? bool(p, 'clean_tables') : false;
  const cleanPartitions = hasClean ? bool(p, 'clean_partitions') : false;
  const atomicRestore = since(sim, 16, 7, 3) ? bool(p, 'atomic_restore') : false;
  const forceReplace = since(sim, 99, 9, 5) ? bool(p, 'force_replace') : false;
  const unknown = Object.keys(p);
  if (unknown.length) throw dorisError(`Unknown restore job properties: [${unknown.join(', ')}]`);
  return {
    props: { allowLoad, replicationAllocation: allocation, reserveReplica, reserveDynamicPartitionEnable, reserveColocate, cleanTables, cleanPartitions, atomicRestore, forceReplace, isBeingSynced },
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
  const tempError = (t: string): string => (namesTableInTempErrors(sim.version) ? `Do not support restoring temporary partitions in table ${t}` : 'Do not support restoring temporary partitions');
  if (c.accept('ON')) refs = parseRefs(c, tempError);
  else if (c.accept('EXCLUDE')) {
    refs = parseRefs(c, tempError);
    exclude = true;
    if (refs.some((r) => r.alias)) throw dorisError('The table alias in exclude clause does not make sense');
  }
  c.expect('PROPERTIES');
  const input = c.properties();
  c.end();
  if (!dbName) throw codedError(1046, '3D000', 'No database selected');
  checkLabel(ctx, label);
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
  let info: SnapshotInfo;
  try {
    info = await readInfo(await store(repoName), repoName, label, backupTimestamp, repo.location);
  } catch (e) {
    throw dorisError(`Failed to get info of snapshot '${label}' because: ${(e as Error).message}. Maybe specified wrong backup timestamp`);
  }
  const objects = info.backup_objects;
  const views = info.new_backup_objects.views.map((v) => v.name);
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
    restoreObjs: JSON.stringify(restoreBrief(info, refs, exclude), null, 2),
    metaPreparedTime: null, snapshotFinishedTime: null, downloadFinishedTime: null,
    snapshotVersion: { metaVersion: Number(info.meta_version), major: Number(info.major_version), minor: Number(info.minor_version) },
    created: [],
  };
  jobsState(sim.world).jobs.push(job);
  sim.changed();
  return ok();
}

/** SHOW RESTORE `RestoreObjs`: the snapshot's brief info (as SHOW SNAPSHOT Details) filtered to the restore set. */
export function restoreBrief(info: SnapshotInfo, refs: TableRef[] | undefined, exclude: boolean): Record<string, unknown> {
  const chosen = (name: string): TableRef | undefined | false => {
    if (!refs) return undefined;
    const ref = refs.find((r) => r.name === name);
    return exclude ? (ref ? false : undefined) : (ref ?? false);
  };
  const olap = Object.entries(info.backup_objects).flatMap(([name, t]) => {
    const ref = chosen(name);
    if (ref === false) return [];
    const parts = Object.keys(t.partitions).filter((p) => !ref?.partitions || ref.partitions.includes(p));
    return [{ name, partition_names: parts }];
  });
  return {
    name: info.name, database: info.database, backup_time: info.backup_time, content: info.content, olap_table_list: olap,
    view_list: info.new_backup_objects.views.filter((v) => chosen(v.name) !== false), odbc_table_list: [], odbc_resource_list: [],
  };
}

export const restoreStatement = (store: (repo: string) => Promise<ObjStore>, record: RecordHistory): StatementHandler => historyRecordingStatement('RESTORE', submit, store, record);

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

/** Side tables of an atomic restore, swapped in at commit. */
export const ATOMIC_PREFIX = '__doris_atomic_restore_prefix__';

/**
 * Whether this FE can read the snapshot. Doris's failure mode here is not documented; the
 * simulator cancels the job at PENDING: the newest line no longer reads pre-3.0 meta, and no
 * line reads a snapshot written by a newer line (doris-facts.md Part B §6.4).
 */
export function unreadableSnapshot(sim: Engine, job: RestoreJob): string | undefined {
  const s = job.snapshotVersion;
  if (!s) return undefined;
  if (atLeast(sim.version, 4, 0) && s.metaVersion < 140) return `Failed to read meta of snapshot '${job.label}': meta version ${s.metaVersion} is older than the oldest this FE reads (140)`;
  if (s.major * 100 + s.minor > sim.version.major * 100 + sim.version.minor) return `Failed to read meta of snapshot '${job.label}': written by Doris ${s.major}.${s.minor}, newer than this FE`;
  return undefined;
}

/** Checks done while PENDING, in Doris's order; a failure cancels the job with Doris's text. */
export function validateRestore(sim: Engine, job: RestoreJob, db: SimDatabase, set: SimTable[]): void {
  const p = job.props;
  const replace = p.atomicRestore && p.forceReplace;
  for (const t of set) {
    const local = db.tables[t.name];
    if (t.type === 'VIEW') {
      if (local && local.type !== 'VIEW') throw new Error(`The local table ${t.name} with the same name but a different type of backup meta.`);
      if (local && local.query !== t.query && !replace) throw new Error(`View ${t.name} already exist but with different schema`);
      continue;
    }
    const wanted = p.reserveReplica ? replicaCount(t.properties.replication_allocation ?? '') : replicaCount(p.replicationAllocation);
    if (wanted > sim.world.backends.alive) {
      throw new Error(`errCode = 2, detailMessage = replication num should be less than the number of available backends. replication num is ${wanted}, available backend num is ${sim.world.backends.alive}`);
    }
    if (!local) continue;
    if (local.type !== 'OLAP') throw new Error(`${atLeast(sim.version, 4, 0) ? 'Only support restore' : 'Only support retore'} OLAP table: ${t.name}`);
    if (local.state !== 'NORMAL') throw new Error(`Table ${t.name}'s state is not NORMAL: ${local.state}`);
    if (local.tempPartitions.length > 0) throw new Error('Do not support restoring table with temp partitions');
    if (atLeast(sim.version, 4, 0) && (local.properties.colocate_with || (p.reserveColocate && t.properties.colocate_with))) {
      throw new Error(`Not support to restore to local table ${originalName(job, t.name)} with colocate group.`);
    }
    if (replace) continue;
    checkSameSchema(job, local, t);
    if (local.partitionType === 'UNPARTITIONED' && local.partitions[0]?.name !== t.partitions[0]?.name) throw new Error(`No partition exist in single partitioned table ${t.name}`);
    for (const part of t.partitions) {
      const lp = local.partitions.find((x) => x.name === part.name);
      if (!lp) {
        // A partition the target lacks is added, unless its range meets one the target has.
        if (!p.atomicRestore && overlapsAny(part.item, local.partitions.map((x) => x.item))) throw new Error(`Partition ${part.name} in table ${t.name} has conflict partition item with existing items`);
        continue;
      }
      if (JSON.stringify(lp.item) !== JSON.stringify(part.item)) throw new Error(`Partition ${part.name} in table ${t.name} has different partition item with partition in repository`);
      if (!p.atomicRestore && replicaCount(lp.replicationAllocation) !== wanted) {
        throw new Error(`Partition ${part.name} in table ${t.name} has different replication num '${replicaCount(lp.replicationAllocation)}' with partition in repository, which is ${wanted}`);
      }
    }
  }
}

/** The snapshot's own name of a table the restore set may have renamed by alias. */
const originalName = (job: RestoreJob, name: string): string => job.refs?.find((r) => r.alias === name)?.name ?? name;

/**
 * Doris's checks of an existing table against the snapshot's (RestoreJob#checkAndPrepareMeta):
 * the partition type first, then the whole signature over the partitions both have.
 */
function checkSameSchema(job: RestoreJob, local: SimTable, remote: SimTable): void {
  if (local.partitionType !== remote.partitionType) {
    throw new Error(`Table's partition type is different. local table: ${local.name}, local type: ${local.partitionType}, another table: ${originalName(job, remote.name)}, another type: ${remote.partitionType}`);
  }
  const common = intersectPartitions(local, remote);
  if (tableSignature(local, local.name, common) !== tableSignature(remote, originalName(job, remote.name), common)) {
    throw new Error(`Table ${remote.name} already exist but with different schema`);
  }
}

/** The restored form of a snapshot table on this target (replication, colocation, dynamic partitions, medium). */
function restoredTable(sim: Engine, job: RestoreJob, t: SimTable): SimTable {
  const p = job.props;
  const copy = structuredClone(t);
  copy.id = allocId(sim.world);
  if (!p.reserveReplica) {
    copy.properties.replication_allocation = p.replicationAllocation;
    for (const part of copy.partitions) part.replicationAllocation = p.replicationAllocation;
  }
  if (!(atLeast(sim.version, 4, 0) && p.reserveColocate) || p.isBeingSynced) delete copy.properties.colocate_with;
  if (p.isBeingSynced) {
    copy.properties.is_being_synced = 'true';
    delete copy.properties.storage_policy;
    for (const part of copy.partitions) part.storagePolicy = '';
  }
  if (copy.properties['dynamic_partition.enable'] !== undefined && !p.reserveDynamicPartitionEnable) copy.properties['dynamic_partition.enable'] = 'false';
  // Backups mark every partition HDD so snapshots restore on clusters without SSDs.
  if (copy.properties.storage_medium !== undefined) copy.properties.storage_medium = 'hdd';
  for (const part of copy.partitions) {
    part.id = allocId(sim.world);
    part.tabletIdBase = allocId(sim.world, part.buckets);
  }
  copy.state = 'NORMAL';
  copy.createTime = sim.clock.now();
  copy.updateTime = copy.createTime;
  return copy;
}

/**
 * End of CREATING (inside PENDING on older builds): new tables, and the side tables of an atomic
 * restore, are registered on the target, empty and in state RESTORE.
 */
export function createTables(sim: Engine, job: RestoreJob, db: SimDatabase, set: SimTable[]): void {
  job.created ??= [];
  for (const t of set) {
    if (t.type !== 'OLAP') continue;
    const local = db.tables[t.name];
    if (local && !job.props.atomicRestore) continue;
    const name = local ? ATOMIC_PREFIX + t.name : t.name;
    const shell = restoredTable(sim, job, t);
    shell.name = name;
    shell.state = 'RESTORE';
    for (const part of shell.partitions) part.rows = [];
    db.tables[name] = shell;
    job.created.push(name);
  }
}

/** Cancelling removes what the restore created and hands existing tables back. */
export function undoRestore(sim: Engine, job: RestoreJob): void {
  const db = sim.world.databases[job.db];
  if (!db) return;
  for (const name of job.created ?? []) delete db.tables[name];
  job.created = [];
  for (const t of Object.values(db.tables)) if (t.state === 'RESTORE') t.state = 'NORMAL';
}

/** COMMITTING: data becomes visible on the target; atomic side tables swap in. */
export function commitRestore(sim: Engine, job: RestoreJob, db: SimDatabase, set: SimTable[]): void {
  const p = job.props;
  const created = new Set(job.created ?? []);
  for (const t of set) {
    const local = db.tables[t.name];
    if (t.type === 'VIEW') {
      db.tables[t.name] = { ...structuredClone(t), id: local?.id ?? allocId(sim.world), query: job.sourceDb ? (t.query ?? '').split(`${job.sourceDb}.`).join(`${db.name}.`) : t.query };
      continue;
    }
    const restored = restoredTable(sim, job, t);
    const shell = db.tables[created.has(t.name) ? t.name : ATOMIC_PREFIX + t.name];
    if (!local || created.has(t.name) || p.atomicRestore) {
      // The old table (if any) is erased; the new one keeps the id it was created with.
      delete db.tables[ATOMIC_PREFIX + t.name];
      db.tables[t.name] = { ...restored, id: shell?.id ?? restored.id };
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
  job.created = [];
  if (p.cleanTables) {
    // Every OLAP table and view of the database that is not in the restore set goes.
    const keep = new Set(set.map((t) => t.name));
    for (const name of Object.keys(db.tables)) if (!keep.has(name) && (db.tables[name]!.type === 'OLAP' || db.tables[name]!.type === 'VIEW')) delete db.tables[name];
  }
}
