// Helpers for job tests: repositories on a loopback S3 server, and waiting on job states.
import type mysql from 'mysql2/promise';
import type { S3Server } from '../../src/sandbox/stack/object-servers.js';

export const s3Properties = (s3: S3Server, spelling: 's3' | 'aws' = 's3'): string =>
  spelling === 's3'
    ? `PROPERTIES ("s3.endpoint" = "${s3.endpoint}", "s3.region" = "${s3.region}", "s3.access_key" = "${s3.accessKeyId}", "s3.secret_key" = "${s3.secretAccessKey}", "use_path_style" = "true")`
    : `PROPERTIES ("AWS_ENDPOINT" = "${s3.endpoint}", "AWS_REGION" = "${s3.region}", "AWS_ACCESS_KEY" = "${s3.accessKeyId}", "AWS_SECRET_KEY" = "${s3.secretAccessKey}", "use_path_style" = "true")`;

export type Row = Record<string, string | null>;

export async function rowsOf(c: mysql.Connection, sql: string): Promise<Row[]> {
  return (await c.query(sql))[0] as Row[];
}

/** Polls `sql` until `done(rows)` holds (real time; jobs run on a fast simulated clock). */
export async function waitFor(c: mysql.Connection, sql: string, done: (rows: Row[]) => boolean, timeoutMs = 10_000): Promise<Row[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await rowsOf(c, sql);
    if (done(rows)) return rows;
    if (Date.now() > until) throw new Error(`timed out waiting on ${sql}: ${JSON.stringify(rows).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const finished = (rows: Row[]): boolean => rows.length > 0 && (rows.at(-1)!.State === 'FINISHED' || rows.at(-1)!.State === 'CANCELLED');

/** Waits for the database's latest backup/restore to end and returns its row. */
export async function waitJob(c: mysql.Connection, kind: 'BACKUP' | 'RESTORE', db: string): Promise<Row> {
  return (await waitFor(c, `SHOW ${kind} FROM \`${db}\``, finished)).at(-1)!;
}

/** The snapshot timestamp to restore from, read the way the tool must: from SHOW SNAPSHOT. */
export async function snapshotTimestamp(c: mysql.Connection, repo: string, label: string): Promise<string> {
  const [row] = await rowsOf(c, `SHOW SNAPSHOT ON ${repo} WHERE SNAPSHOT = "${label}"`);
  if (!row?.Timestamp) throw new Error(`no snapshot ${label}: ${JSON.stringify(row)}`);
  return row.Timestamp.split('\n').at(-1)!;
}
