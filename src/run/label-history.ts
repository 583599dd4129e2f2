// Before a plan is written: do the clusters' job histories already hold one of its labels? A job
// is taken for ours by its label, so a label another migration used (the same --label-prefix, or
// a plan made again) must be refused at plan time, not discovered mid-run.
//
// Doris lists job history per database only (SHOW BACKUP / SHOW RESTORE take one database, the
// current one without FROM), so this is one statement per database in the plan on each cluster;
// they are independent reads, sent a few at a time per cluster and both clusters at once.
import { CLIENT_POOL_SIZE, DorisQueryError, type DorisClient } from '../doris/client.js';
import { parseBackupRow, parseRestoreRow, type JobRow } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import { eachLimited } from '../each-limited.js';
import type { Plan } from '../plan/schema.js';

/** History statements in flight at once per cluster: one per pooled connection. */
const IN_FLIGHT = CLIENT_POOL_SIZE;

type Kind = 'backup' | 'restore';

/** One line per job in SHOW BACKUP (source) or SHOW RESTORE (target) carrying one of the plan's labels. */
export async function labelsInJobHistory(plan: Plan, clusters: { source: DorisClient; target: DorisClient }): Promise<string[]> {
  const bases = new Map(plan.steps.flatMap((s) => (s.kind === 'backup' ? [[s.id, s.label] as const] : [])));
  // Doris matches labels without regard to case; so do we.
  const ours = (label: string, base: string): boolean => label.toLowerCase().startsWith(`${base.toLowerCase()}_a`);
  const checks: { kind: Kind; database: string; cluster: string; base: string }[] = [];
  for (const step of plan.steps) {
    if (step.kind !== 'backup' && step.kind !== 'restore') continue;
    const base = step.kind === 'backup' ? step.label : bases.get(step.backupStep);
    if (base) checks.push({ kind: step.kind, database: step.database, cluster: step.cluster, base });
  }
  const history = new Map<string, JobRow[]>();
  const key = (kind: Kind, database: string): string => `${kind}\u0000${database}`;
  const read = async (kind: Kind, database: string): Promise<void> => {
    const client = kind === 'backup' ? clusters.source : clusters.target;
    try {
      history.set(key(kind, database), kind === 'backup' ? (await client.query(sql.showBackup(database))).map(parseBackupRow) : (await client.query(sql.showRestore(database))).map(parseRestoreRow));
    } catch (e) {
      // A target database that does not exist yet has no history.
      if (e instanceof DorisQueryError && e.errno === 1049) history.set(key(kind, database), []);
      else throw e;
    }
  };
  const databases = (kind: Kind): string[] => [...new Set(checks.filter((c) => c.kind === kind).map((c) => c.database))];
  await Promise.all((['backup', 'restore'] as const).map((kind) => eachLimited(databases(kind), IN_FLIGHT, (database) => read(kind, database))));
  // Findings in the plan's step order, whatever order the answers came in.
  const found: string[] = [];
  for (const c of checks) {
    for (const job of history.get(key(c.kind, c.database))!) {
      if (ours(job.label, c.base)) found.push(`${c.kind === 'backup' ? 'SHOW BACKUP' : 'SHOW RESTORE'} FROM ${c.database} on the ${c.cluster}: ${job.label} (JobId ${job.jobId}, ${job.state})`);
    }
  }
  return found;
}
