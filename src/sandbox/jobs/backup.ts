// BACKUP SNAPSHOT: submission checks (synchronous) and the job's states (asynchronous).
import { dorisError, codedError, unknownTable } from '../errors.js';
import { ok, type Ctx, type Engine, type Result, type StatementHandler } from '../engine.js';
import { formatHyphenTime } from '../format.js';
import { Cursor } from '../sql/cursor.js';
import { allocId, partitionBytes, type SimTable } from '../store.js';
import { atLeast, versionText, type SimVersion } from '../version.js';
import { jobsState, type BackupJob, type TableRef } from './model.js';
import type { ObjStore } from '../objstore/types.js';
import { listSnapshots, uploadContent, uploadInfo, viewsOf, type BackupObjects, type SnapshotMeta } from '../repository/snapshots.js';
import { checkLabel } from '../name-format.js';
import { oneJobPerDatabase, refuseCloud, repository, timeoutSeconds } from './rules.js';
import { tabletsOf } from './resources.js';

/** The `db.label` a BACKUP/RESTORE statement names, for the job history (even when it fails). */
export function statementTarget(sql: string, currentDb: string | undefined): { db: string; label: string } {
  try {
    const c = new Cursor(sql);
    c.next();
    c.next();
    const parts = c.qualified();
    return { db: parts.length > 1 ? parts[parts.length - 2]! : (currentDb ?? ''), label: parts[parts.length - 1]! };
  } catch {
    return { db: currentDb ?? '', label: '' };
  }
}

/** 2.1 builds from Dec 2024 (2.1.8) and the newest line name the table in temp-partition errors. */
export const namesTableInTempErrors = (v: SimVersion): boolean => atLeast(v, 4, 0) || (v.major === 2 && v.minor === 1 && v.patch >= 8);

/** `( t [PARTITION (p, ...)] [AS a], ... )`; `TEMPORARY PARTITION` is refused with `tempError(table)`. */
export function parseRefs(c: Cursor, tempError: (table: string) => string): TableRef[] {
  return c.list(() => {
    const parts = c.qualified();
    const ref: TableRef = { name: parts[parts.length - 1]! };
    if (parts.length > 1) ref.alias = `\u0000db:${parts.slice(0, -1).join('.')}`;
    if (c.accept('PARTITION') || c.accept('PARTITIONS')) ref.partitions = c.atPunct('(') ? c.list(() => c.ident()) : [c.ident()];
    else if (c.at('TEMPORARY', 'PARTITION')) throw dorisError(tempError(ref.name));
    if (c.accept('AS')) ref.alias = c.ident();
    return ref;
  });
}

function tablesOfBackup(sim: Engine, db: { name: string; tables: Record<string, SimTable> }, refs: TableRef[] | undefined, exclude: boolean): SimTable[] {
  const chosen: SimTable[] = [];
  const names = refs && !exclude ? refs.map((r) => r.name) : Object.keys(db.tables).filter((n) => !refs?.some((r) => r.name === n));
  for (const name of names) {
    const t = db.tables[name];
    if (!t) throw unknownTable(name);
    if (t.type === 'MATERIALIZED_VIEW') continue; // accepted, never backed up
    if (t.type !== 'OLAP' && t.type !== 'VIEW' && t.type !== 'ODBC') throw codedError(5000, 'HY000', `Table '${name}' is not a OLAP table`);
    if (t.type === 'OLAP' && t.tempPartitions.length > 0) throw dorisError(namesTableInTempErrors(sim.version) ? `Do not support backup table ${name} with temp partitions` : 'Do not support backup table with temp partitions');
    const ref = refs?.find((r) => r.name === name);
    for (const p of (!exclude && ref?.partitions) || []) if (!t.partitions.some((x) => x.name === p)) throw dorisError(`Unknown partition ${p} in table${name}`);
    chosen.push(t);
  }
  return chosen;
}

async function submit(c: Cursor, ctx: Ctx, store: (repo: string) => Promise<ObjStore>): Promise<Result> {
  const { sim, session } = ctx;
  c.expect('BACKUP', 'SNAPSHOT');
  const name = c.qualified();
  const label = name[name.length - 1]!;
  const dbName = name.length > 1 ? name[name.length - 2] : session.db;
  c.expect('TO');
  const repoName = c.ident();
  let refs: TableRef[] | undefined;
  let exclude = false;
  const tempError = (t: string): string => (namesTableInTempErrors(sim.version) ? `Do not support backup temp partitions in table ${t}` : 'Do not support backup temp partitions');
  if (c.accept('ON')) refs = parseRefs(c, tempError);
  else if (c.accept('EXCLUDE')) {
    refs = parseRefs(c, tempError);
    exclude = true;
  }
  const props = c.accept('PROPERTIES') ? c.properties() : {};
  c.end();
  if (!dbName) throw codedError(1046, '3D000', 'No database selected');
  checkLabel(ctx, label);
  const seen = new Set<string>();
  for (const r of refs ?? []) {
    if (r.alias?.startsWith('\u0000db:')) throw dorisError(`Cannot specify database name on backup objects: ${r.name}. Specify database name before label`);
    if (seen.has(r.name)) throw dorisError(`Duplicated table: ${r.name}`);
    seen.add(r.name);
    if (r.alias) throw dorisError(`Can not set alias for table in Backup ${atLeast(sim.version, 4, 0) ? 'Command' : 'Stmt'}: ${r.name} AS ${r.alias}`);
  }
  const type = (props.type ?? 'full').toLowerCase();
  if (type !== 'full' && type !== 'incremental') throw dorisError(`Invalid backup job type: ${props.type}`);
  const content = (props.content ?? 'ALL').toUpperCase();
  if (content !== 'ALL' && content !== 'METADATA_ONLY') throw dorisError(`Invalid backup job content:${props.content}`);
  const timeout = timeoutSeconds(props.timeout);
  const unknown = Object.keys(props).filter((k) => !['type', 'content', 'timeout'].includes(k));
  if (unknown.length) throw dorisError(`Unknown backup job properties: [${unknown.join(', ')}]`);

  sim.requireDbPriv(session, dbName, 'LOAD');
  refuseCloud(sim);
  const repo = repository(sim, repoName);
  const db = sim.database(dbName, session);
  oneJobPerDatabase(sim, db.name, label);
  if (repo.readOnly) throw dorisError(`Repository ${repoName} is read only`);
  const tables = tablesOfBackup(sim, db, refs, exclude);
  const existing = await listSnapshots(await store(repoName), repoName).catch((e: Error) => { throw dorisError(e.message); });
  // Labels compare as written (BackupHandler: List#contains).
  if (existing.some((s) => s.label === label)) {
    throw dorisError(type === 'incremental' ? 'Currently does not support incremental backup' : `Snapshot with name '${label}' already exist in repository`);
  }
  const now = sim.clock.now();
  const partsOf = (t: SimTable) => (!exclude && refs?.find((r) => r.name === t.name)?.partitions) || undefined;
  const bytes = tables.reduce((s, t) => s + t.partitions.filter((p) => !partsOf(t) || partsOf(t)!.includes(p.name)).reduce((x, p) => x + partitionBytes(p), 0), 0);
  const job: BackupJob = {
    kind: 'backup', key: allocId(sim.world), jobId: -1, label, db: db.name, repo: repoName, state: 'PENDING', createTime: now, finishedTime: null,
    status: '[OK]', timeoutSeconds: timeout, nextAt: now + 3000, bytes: content === 'ALL' ? bytes : 0, progress: '',
    objs: tables.map((t) => `[${db.name}.${t.name}${partsOf(t) ? `PARTITIONS (${partsOf(t)!.join(', ')})` : ''}]`).join(', '),
    refs, exclude, content: content, snapshotFinishedTime: null, uploadFinishedTime: null, uploadStarted: false,
    tablets: tables.filter((t) => t.type === 'OLAP').reduce((n, t) => n + tabletsOf(t, partsOf(t)), 0),
  };
  const state = jobsState(sim.world);
  state.jobs.push(job);
  sim.changed();
  return ok();
}

export type Submit = (c: Cursor, ctx: Ctx, store: (repo: string) => Promise<ObjStore>) => Promise<Result>;
export type RecordHistory = (ctx: Ctx, label: string, db: string, outcome: string) => void;

/** A BACKUP/RESTORE statement whose every receipt, accepted or refused, lands in the job history. */
export function historyRecordingStatement(verb: 'BACKUP' | 'RESTORE', submitFn: Submit, store: (repo: string) => Promise<ObjStore>, record: RecordHistory): StatementHandler {
  return {
    name: verb,
    match: (c) => c.at(verb, 'SNAPSHOT'),
    async run(c, ctx) {
      const { db, label } = statementTarget(c.sql, ctx.session.db);
      try {
        const result = await submitFn(c, ctx, store);
        record(ctx, label, db, 'submitted');
        return result;
      } catch (e) {
        record(ctx, label, db, (e as Error).message);
        throw e;
      }
    },
  };
}

export const backupStatement = (store: (repo: string) => Promise<ObjStore>, record: RecordHistory): StatementHandler => historyRecordingStatement('BACKUP', submit, store, record);

/** Captures the snapshot: a deep copy of the chosen tables (and partitions) at SNAPSHOTING. */
export function captureSnapshot(sim: Engine, job: BackupJob): SnapshotMeta {
  const db = sim.world.databases[job.db];
  if (!db) throw new Error(`database ${job.db} does not exist`);
  const chosen = tablesOfBackup(sim, db, job.refs, job.exclude).filter((t) => t.type === 'OLAP');
  const tables = chosen.map((t) => {
    const copy = structuredClone(t);
    const only = !job.exclude ? job.refs?.find((r) => r.name === t.name)?.partitions : undefined;
    if (only) copy.partitions = copy.partitions.filter((p) => only.includes(p.name));
    // 2.x/3.0 backups drop colocation from the saved schema; the newest line keeps it.
    if (!atLeast(sim.version, 4, 0)) delete copy.properties.colocate_with;
    return copy;
  });
  const views = job.refs && !job.exclude ? viewsOf(db, new Set(job.refs.map((r) => r.name))) : viewsOf(db, undefined).filter((v) => !job.refs?.some((r) => r.name === v.name));
  return { db: { id: db.id, name: db.name, properties: { ...db.properties } }, tables: [...tables, ...views.map((v) => structuredClone(v))] };
}

export async function writeSnapshotData(store: ObjStore, job: BackupJob, meta: SnapshotMeta): Promise<BackupObjects> {
  return uploadContent(store, job.repo, job.label, meta, job.content === 'ALL');
}

/** FE meta version by line (doris-facts.md Part B §6.4). */
export const metaVersionOf = (v: SimVersion): number => (v.major >= 3 ? 140 : v.minor === 1 ? 129 : 123);

export async function writeSnapshotInfo(sim: Engine, store: ObjStore, job: BackupJob, meta: SnapshotMeta, objects: BackupObjects): Promise<void> {
  const v = sim.version;
  const info = {
    name: job.label,
    database: job.db,
    id: meta.db.id,
    backup_time: job.createTime,
    content: job.content,
    backup_objects: objects,
    new_backup_objects: { views: meta.tables.filter((t) => t.type === 'VIEW').map((t) => ({ id: t.id, name: t.name })), odbc_tables: [], odbc_resources: [] },
    backup_result: 'succeed',
    meta_version: metaVersionOf(v),
    major_version: v.major,
    minor_version: v.minor,
    patch_version: v.patch,
    is_force_replication_allocation: false,
    tablet_be_map: {},
    tablet_snapshot_path_map: {},
    table_commit_seq_map: {},
    tblalias: {},
    sim_version: versionText(v),
  };
  await uploadInfo(store, job.repo, job.label, meta, info, formatHyphenTime(job.createTime));
}
