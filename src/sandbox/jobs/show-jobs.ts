// SHOW BACKUP / [BRIEF] RESTORE / SNAPSHOT and CANCEL BACKUP / RESTORE (Part B §3.5, §3.6, §4, §5.5).
// There is no DROP SNAPSHOT in any line: Doris never deletes snapshot files.
import { codedError, dorisError } from '../errors.js';
import { ok, rows, type Ctx, type Engine, type StatementHandler } from '../engine.js';
import { formatDateTime } from '../format.js';
import type { Cursor } from '../sql/cursor.js';
import type { Cell } from '../store.js';
import { atLeast } from '../version.js';
import { isDone, jobsState, recentJobs, type Job } from './model.js';
import type { ObjStore } from '../objstore/types.js';
import { listSnapshots, readInfo } from '../repository/snapshots.js';
import { restoreBrief } from './restore.js';
import { repository } from './rules.js';
import { cancel } from './runner.js';

const time = (ms: number | null): Cell => (ms === null ? null : formatDateTime(ms));

/**
 * `[<task signature>: <finished>/<total>], ...` while files move: one upload or download task
 * per alive backend, its files finishing as simulated time passes.
 */
function progress(job: Job, now: number, backends: number): string {
  const t = job.transfer;
  if (!t || (job.state !== 'UPLOADING' && job.state !== 'DOWNLOADING')) return job.progress;
  const tasks = Math.max(1, Math.min(backends, t.files));
  const share = (i: number): number => Math.floor(t.files / tasks) + (i < t.files % tasks ? 1 : 0);
  const done = Math.min(1, Math.max(0, (now - t.start) / Math.max(1, t.end - t.start)));
  return Array.from({ length: tasks }, (_, i) => `[${job.jobId + 1 + i}: ${Math.floor(share(i) * done)}/${share(i)}]`).join(', ');
}

function dbOf(c: Cursor, ctx: Ctx): string {
  const name = c.accept('FROM') || c.accept('IN') ? c.ident() : ctx.session.db;
  if (!name) throw codedError(1046, '3D000', 'No database selected');
  ctx.sim.database(name, ctx.session);
  if (!ctx.sim.hasDbPriv(ctx.session.user, name, 'LOAD')) throw ctx.sim.dbAccessDenied(ctx.session, name);
  return name;
}

/** `WHERE <column> = "x"` or `LIKE "x%"` on the label; matching ignores case, as Doris's does. */
function labelFilter(c: Cursor, column: string, hint: string): (label: string) => boolean {
  if (!c.accept('WHERE')) return () => true;
  const key = c.peek.kind === 'word' || c.peek.kind === 'ident' ? c.ident() : '';
  const like = c.accept('LIKE');
  if (key.toLowerCase() !== column.toLowerCase() || (!like && !c.acceptPunct('=')) || c.peek.kind !== 'string') throw dorisError(hint);
  const value = c.string();
  if (!like) return (label) => label.toLowerCase() === value.toLowerCase();
  const re = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  return (label) => re.test(label);
}

export const showBackup: StatementHandler = {
  name: 'SHOW BACKUP',
  match: (c) => c.at('SHOW', 'BACKUP'),
  run(c, ctx) {
    c.expect('SHOW', 'BACKUP');
    const db = dbOf(c, ctx);
    const keep = labelFilter(c, 'SnapshotName', 'Where clause should like: SnapshotName = "your_snapshot_name",  or SnapshotName LIKE "matcher"');
    c.end();
    const jobs = recentJobs(jobsState(ctx.sim.world), db).filter((j) => j.kind === 'backup' && keep(j.label));
    return rows(
      ['JobId', 'SnapshotName', 'DbName', 'State', 'BackupObjs', 'CreateTime', 'SnapshotFinishedTime', 'UploadFinishedTime', 'FinishedTime', 'UnfinishedTasks', 'Progress', 'TaskErrMsg', 'Status', 'Timeout'],
      jobs.map((j) => {
        if (j.kind !== 'backup') return [];
        const shown = progress(j, ctx.sim.clock.now(), ctx.sim.world.backends.alive);
        return [String(j.jobId), j.label, j.db, j.state, j.objs, time(j.createTime), time(j.snapshotFinishedTime), time(j.uploadFinishedTime), time(j.finishedTime), '', shown, '', j.status, String(j.timeoutSeconds)];
      }),
    );
  },
};

export const showRestore: StatementHandler = {
  name: 'SHOW RESTORE',
  match: (c) => c.at('SHOW', 'RESTORE') || c.at('SHOW', 'BRIEF', 'RESTORE'),
  run(c, ctx) {
    c.expect('SHOW');
    const brief = c.accept('BRIEF');
    c.expect('RESTORE');
    const db = dbOf(c, ctx);
    const keep = labelFilter(c, 'Label', 'Where clause should like: LABEL = "your_label_name",  or LABEL LIKE "matcher"');
    c.end();
    const columns = ['JobId', 'Label', 'Timestamp', 'DbName', 'State', 'AllowLoad', 'ReplicationNum', 'ReplicaAllocation', 'ReserveReplica', 'ReserveDynamicPartitionEnable', 'RestoreObjs', 'CreateTime', 'MetaPreparedTime', 'SnapshotFinishedTime', 'DownloadFinishedTime', 'FinishedTime', 'UnfinishedTasks', 'Progress', 'TaskErrMsg', 'Status', 'Timeout'];
    const dropped = new Set(['RestoreObjs', 'Progress', 'TaskErrMsg']);
    const out = recentJobs(jobsState(ctx.sim.world), db)
      .filter((j) => j.kind === 'restore' && keep(j.label))
      .map((j) => {
        if (j.kind !== 'restore') return [];
        const p = j.props;
        // 2.0 still has the cluster namespace and shows the restore's full database name.
        const dbName = ctx.sim.version.major === 2 && ctx.sim.version.minor === 0 ? `default_cluster:${j.db}` : j.db;
        const full: Cell[] = [
          String(j.jobId), j.label, j.backupTimestamp, dbName, j.state, String(p.allowLoad), String(p.replicationAllocation.split(',').reduce((s, x) => s + Number(x.split(':')[1] ?? 0), 0)),
          p.replicationAllocation, String(p.reserveReplica), String(p.reserveDynamicPartitionEnable), j.restoreObjs, time(j.createTime), time(j.metaPreparedTime),
          time(j.snapshotFinishedTime), time(j.downloadFinishedTime), time(j.finishedTime), '', progress(j, ctx.sim.clock.now(), ctx.sim.world.backends.alive), '', j.status, String(j.timeoutSeconds),
        ];
        return brief ? full.filter((_, i) => !dropped.has(columns[i]!)) : full;
      });
    return rows(brief ? columns.filter((c2) => !dropped.has(c2)) : columns, out);
  },
};

function cancelJob(ctx: Ctx, kind: 'backup' | 'restore', db: string): void {
  const latest: Job | undefined = recentJobs(jobsState(ctx.sim.world), db).at(-1);
  if (!latest || latest.kind !== kind) throw dorisError(`No ${kind} job is currently running`);
  if (isDone(latest)) throw dorisError(`Failed to cancel job: Job with label ${latest.label} can not be cancelled. state: ${latest.state}`);
  cancel(ctx.sim, latest, kind === 'backup' ? '[COMMON_ERROR, msg: user cancelled]' : `[COMMON_ERROR, msg: user cancelled, current state: ${latest.state}]`);
  ctx.sim.changed();
}

export function cancelStatement(record: (ctx: Ctx, statement: 'CANCEL BACKUP' | 'CANCEL RESTORE', db: string, outcome: string) => void): StatementHandler {
  return {
    name: 'CANCEL BACKUP/RESTORE',
    match: (c) => c.at('CANCEL', 'BACKUP') || c.at('CANCEL', 'RESTORE'),
    run(c, ctx) {
      c.expect('CANCEL');
      const kind = c.accept('BACKUP') ? 'backup' : (c.expect('RESTORE'), 'restore');
      const name = c.accept('FROM') || c.accept('IN') ? c.ident() : ctx.session.db;
      c.end();
      if (!name) throw codedError(1046, '3D000', 'No database selected');
      ctx.sim.database(name, ctx.session);
      ctx.sim.requireDbPriv(ctx.session, name, 'LOAD');
      const statement = kind === 'backup' ? 'CANCEL BACKUP' : 'CANCEL RESTORE';
      try {
        cancelJob(ctx, kind, name);
        record(ctx, statement, name, 'cancelled');
      } catch (e) {
        record(ctx, statement, name, (e as Error).message);
        throw e;
      }
      return ok();
    },
  };
}

const SNAPSHOT_HINT = "Where clause should looks like: SNAPSHOT = 'your_snapshot_name' [AND TIMESTAMP = '2018-04-18-19-19-10'] [AND SNAPSHOTTYPE = 'remote' | 'local']";

function requireAdminForSnapshots(sim: Engine, ctx: Ctx): void {
  if (atLeast(sim.version, 2, 1)) sim.requireAdmin(ctx.session, 'Admin_priv');
}

export function showSnapshot(store: (repo: string) => Promise<ObjStore>): StatementHandler {
  return {
    name: 'SHOW SNAPSHOT',
    match: (c) => c.at('SHOW', 'SNAPSHOT'),
    async run(c, ctx) {
      c.expect('SHOW', 'SNAPSHOT', 'ON');
      const repoName = c.ident();
      let label: string | undefined;
      let timestamp: string | undefined;
      if (c.accept('WHERE')) {
        do {
          const key = c.ident().toUpperCase();
          if (!c.acceptPunct('=')) throw dorisError(SNAPSHOT_HINT);
          if (c.peek.kind !== 'string') throw dorisError(SNAPSHOT_HINT);
          const value = c.string();
          if (key === 'SNAPSHOT') label = value;
          else if (key === 'TIMESTAMP') timestamp = value;
          else if (key !== 'SNAPSHOTTYPE') throw dorisError(SNAPSHOT_HINT);
        } while (c.accept('AND'));
        // OR, or anything else after the conditions, is not a shape Doris accepts.
        if ((timestamp && !label) || !c.done) throw dorisError(SNAPSHOT_HINT);
      }
      c.end();
      requireAdminForSnapshots(ctx.sim, ctx);
      const repo = repository(ctx.sim, repoName);
      const s = await store(repoName);
      if (label && timestamp) {
        try {
          const info = await readInfo(s, repoName, label, timestamp, repo.location);
          return rows(['Snapshot', 'Timestamp', 'Database', 'Details', 'Status'], [[label, timestamp, String(info.database), JSON.stringify(restoreBrief(info, undefined, false), null, 2), 'OK']]);
        } catch (e) {
          return rows(['Snapshot', 'Timestamp', 'Database', 'Details', 'Status'], [[label, timestamp, null, null, `Failed to get info: ${(e as Error).message}`]]);
        }
      }
      let listing;
      try {
        listing = await listSnapshots(s, repoName, label);
      } catch (e) {
        return rows(['Snapshot', 'Timestamp', 'Status'], [[label ?? '', null, `ERROR: Failed to get info: ${(e as Error).message}`]]);
      }
      const chosen = label ? [listing.find((x) => x.label === label) ?? { label, timestamps: [], invalid: [] }] : listing;
      return rows(
        ['Snapshot', 'Timestamp', 'Status'],
        chosen.map((x): Cell[] => {
          const ts = [...x.timestamps, ...x.invalid.map((f) => `Invalid: ${f}`)];
          return ts.length ? [x.label, ts.join('\n'), 'OK'] : [x.label, null, 'ERROR: No info file found'];
        }),
      );
    },
  };
}
