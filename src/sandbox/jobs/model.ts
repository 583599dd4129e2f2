// Repositories and BACKUP/RESTORE jobs as the simulator keeps them (world.extensions.jobs).
import type { RepoKind } from '../repository/properties.js';
import type { Cell, SimWorld } from '../store.js';
import type { ResourceConfig, SlotUse } from './resources.js';

export type { RepoKind };

export interface RepoRecord {
  id: number;
  name: string;
  readOnly: boolean;
  kind: RepoKind;
  location: string;
  /** As given (the simulator's own meta; real Doris keeps them in its image too). */
  properties: Record<string, string>;
  createTime: string;
  errMsg: string | null;
}

export const BACKUP_STATES = ['PENDING', 'SNAPSHOTING', 'UPLOAD_SNAPSHOT', 'UPLOADING', 'SAVE_META', 'UPLOAD_INFO', 'FINISHED', 'CANCELLED'] as const;
export const RESTORE_STATES = ['PENDING', 'CREATING', 'SNAPSHOTING', 'DOWNLOAD', 'DOWNLOADING', 'COMMIT', 'COMMITTING', 'FINISHED', 'CANCELLED'] as const;

export interface TableRef {
  name: string;
  partitions?: string[];
  alias?: string;
}

interface JobBase {
  /** -1 until the job leaves PENDING (as SHOW BACKUP shows it). */
  jobId: number;
  /** Internal id, stable from submission. */
  key: number;
  label: string;
  db: string;
  repo: string;
  state: string;
  createTime: number;
  finishedTime: number | null;
  /** `[OK]` or `[CODE, msg: text]`. */
  status: string;
  timeoutSeconds: number;
  /** Simulated ms at which the current state's work is done. */
  nextAt: number;
  /** Bytes the job moves, for its duration. */
  bytes: number;
  progress: string;
  /** UPLOADING / DOWNLOADING: simulated start and end, and the number of files moved (for Progress). */
  transfer?: { start: number; end: number; files: number; slots?: SlotUse[] };
  /**
   * When the job asked for its upload or download, and when its tasks started and ended (kept
   * after the transfer, for benchmarks: the time it waited behind other jobs is start - bookedAt).
   */
  moved?: { bookedAt: number; start: number; end: number };
  /** Tablets the job covers (its per-tablet costs and upload/download tasks); set at submission or once the restore set is known. */
  tablets?: number;
}

export interface BackupJob extends JobBase {
  kind: 'backup';
  objs: string;
  refs: TableRef[] | undefined;
  exclude: boolean;
  content: 'ALL' | 'METADATA_ONLY';
  snapshotFinishedTime: number | null;
  uploadFinishedTime: number | null;
  /** Set once uploads began: the label is then taken in the repository for good. */
  uploadStarted: boolean;
}

export interface RestoreJob extends JobBase {
  kind: 'restore';
  backupTimestamp: string;
  /** The database the snapshot was taken from (views are rewritten to the target's name). */
  sourceDb: string;
  refs: TableRef[] | undefined;
  exclude: boolean;
  props: RestoreProps;
  restoreObjs: string;
  metaPreparedTime: number | null;
  snapshotFinishedTime: number | null;
  downloadFinishedTime: number | null;
  /** The build that wrote the snapshot (from its info file), for the cross-version rules. */
  snapshotVersion?: { metaVersion: number; major: number; minor: number };
  /** Tables this job registered on the target (removed again if it is cancelled). */
  created?: string[];
}

export interface RestoreProps {
  allowLoad: boolean;
  replicationAllocation: string;
  reserveReplica: boolean;
  reserveDynamicPartitionEnable: boolean;
  reserveColocate: boolean;
  cleanTables: boolean;
  cleanPartitions: boolean;
  atomicRestore: boolean;
  forceReplace: boolean;
  /** CCR flag: marks tables is_being_synced and strips storage_policy and colocate_with. */
  isBeingSynced?: boolean;
}

export type Job = BackupJob | RestoreJob;

export interface HistoryEntry {
  /** Simulated time of the statement. */
  time: number;
  statement: 'BACKUP' | 'RESTORE' | 'CANCEL BACKUP' | 'CANCEL RESTORE';
  db: string;
  label: string;
  /** `submitted`, or the error text the statement returned. */
  outcome: string;
}

export interface FailRule {
  db: string;
  state: string;
  message: string;
  /** Fail only this label's job; otherwise the next job of the database that reaches the state. */
  label?: string;
}

export interface JobsState {
  repositories: Record<string, RepoRecord>;
  jobs: Job[];
  history: HistoryEntry[];
  failRules: FailRule[];
  unreachable: string[];
  /** Resource model settings given at start or by `ADMIN SIM SET BACKEND CONFIG` (defaults fill the rest). */
  resources?: Partial<ResourceConfig>;
  /** Bytes per simulated second this cluster may move to or from a repository, by repository name. */
  bandwidth?: Record<string, number>;
  /** Simulated time of the last background repository ping (every 10 minutes, as Doris does). */
  lastPing?: number;
}

export function jobsState(world: SimWorld): JobsState {
  world.extensions.jobs ??= { repositories: {}, jobs: [], history: [], failRules: [], unreachable: [] } satisfies JobsState;
  return world.extensions.jobs as JobsState;
}

/** The database's last `max_backup_restore_job_num_per_db` (10) jobs, oldest first. */
export const recentJobs = (state: JobsState, db: string): Job[] => state.jobs.filter((j) => j.db === db).slice(-10);

export const isDone = (j: Job): boolean => j.state === 'FINISHED' || j.state === 'CANCELLED';

export type { Cell };
