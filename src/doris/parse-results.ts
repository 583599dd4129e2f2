// Typed reading of SHOW results: by column name, never by position. Pure.

export type Row = Record<string, unknown>;

/** A cell as text, or undefined for SQL NULL / absent column. */
export function text(row: Row, column: string): string | undefined {
  const v = row[column];
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function requireText(row: Row, column: string): string {
  const v = text(row, column);
  if (v === undefined) throw new Error(`missing column ${column} in ${JSON.stringify(Object.keys(row))}`);
  return v;
}

export const num = (row: Row, column: string): number | undefined => {
  const v = text(row, column);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

export const bool = (row: Row, column: string): boolean | undefined => {
  const v = text(row, column)?.toLowerCase();
  return v === 'true' || v === '1' || v === 'yes' ? true : v === 'false' || v === '0' || v === 'no' ? false : undefined;
};

const UNIT: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 };

/** `1.400 KB`, `0.000 `, `900.000 B` → bytes. */
export function parseSize(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^\s*([\d.]+)\s*([KMGTP]?B)?\s*$/i.exec(s);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNIT[(m[2] ?? '').toUpperCase()] ?? 1));
}

/** `tag.location.default: 3, tag.location.z2: 1` → 4 */
export const replicaTotal = (allocation: string): number =>
  allocation.split(',').reduce((sum, part) => sum + (Number(part.split(':')[1]) || 0), 0);

/** A job as SHOW BACKUP / SHOW RESTORE report it. */
export interface JobRow {
  jobId: string;
  label: string;
  database: string;
  state: string;
  status: string;
  progress: string;
  createTime?: string;
  /** When its snapshots were taken, and when its files finished moving (UploadFinishedTime / DownloadFinishedTime). */
  snapshotFinishedTime?: string;
  transferFinishedTime?: string;
  finishedTime?: string;
  /** RESTORE only: the backup_timestamp the job uses. */
  timestamp?: string;
}

/** The columns SHOW BACKUP and SHOW RESTORE share; they differ in what names the label. */
function jobRow(row: Row, labelColumn: 'SnapshotName' | 'Label'): JobRow {
  return {
    jobId: requireText(row, 'JobId'),
    label: requireText(row, labelColumn),
    database: requireText(row, 'DbName'),
    state: requireText(row, 'State'),
    status: text(row, 'Status') ?? '',
    progress: text(row, 'Progress') ?? '',
    createTime: text(row, 'CreateTime'),
    snapshotFinishedTime: text(row, 'SnapshotFinishedTime'),
    transferFinishedTime: text(row, labelColumn === 'SnapshotName' ? 'UploadFinishedTime' : 'DownloadFinishedTime'),
    finishedTime: text(row, 'FinishedTime'),
  };
}

/**
 * SHOW BACKUP / SHOW RESTORE `Progress`, `[<task signature>: <finished>/<total>], ...` (files per
 * upload or download task): finished over total files of the tasks listed, or undefined when none is.
 */
export function progressFraction(progress: string): number | undefined {
  let finished = 0;
  let total = 0;
  for (const m of progress.matchAll(/\[[^:\]]*:\s*(\d+)\s*\/\s*(\d+)\s*\]/g)) {
    finished += Number(m[1]);
    total += Number(m[2]);
  }
  return total > 0 ? Math.min(1, finished / total) : undefined;
}

export const parseBackupRow = (row: Row): JobRow => jobRow(row, 'SnapshotName');

export const parseRestoreRow = (row: Row): JobRow => ({ ...jobRow(row, 'Label'), timestamp: text(row, 'Timestamp') });

/** SHOW SNAPSHOT (without TIMESTAMP): the newest timestamp, or undefined while incomplete. */
export function parseSnapshotRow(row: Row): { label: string; timestamp?: string; status: string } {
  const ts = text(row, 'Timestamp');
  return { label: requireText(row, 'Snapshot'), timestamp: ts?.split('\n').filter(Boolean).at(-1), status: text(row, 'Status') ?? '' };
}

/** `[COMMON_ERROR, msg: text]` → `text`; `[OK]` → ''. */
export function statusMessage(status: string): string {
  const m = /^\[(\w+)(?:, msg: ([\s\S]*))?\]$/.exec(status.trim());
  if (!m) return status;
  if (m[1] === 'OK') return '';
  return m[2] ? m[2].replace(/^errCode = \d+, detailMessage = /, '') : m[1]!;
}

/** Whether SHOW GRANTS says the user is an admin. */
export function grantsShowAdmin(row: Row): boolean {
  const global = text(row, 'GlobalPrivs') ?? '';
  const roles = text(row, 'Roles') ?? '';
  return /Admin_priv/i.test(global) || /(^|,)\s*(admin|operator)\s*(,|$)/.test(roles);
}

/** Databases on which SHOW GRANTS lists Load_priv (or all when global). */
export function loadableDatabases(row: Row): { all: boolean; databases: Set<string> } {
  const global = text(row, 'GlobalPrivs') ?? '';
  const all = /Load_priv|Admin_priv/i.test(global) || grantsShowAdmin(row);
  const databases = new Set<string>();
  for (const part of (text(row, 'DatabasePrivs') ?? '').split(';')) {
    const m = /^\s*(?:internal\.)?([^:]+):\s*(.*)$/.exec(part);
    if (m && /Load_priv/i.test(m[2]!)) databases.add(m[1]!.trim());
  }
  return { all, databases };
}
