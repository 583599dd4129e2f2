// Before a plan is written: do the clusters' job histories already hold one of its labels? A job
// is taken for ours by its label, so a label another migration used (the same --label-prefix, or
// a plan made again) must be refused at plan time, not discovered mid-run.
import { DorisQueryError, type DorisClient } from '../doris/client.js';
import { parseBackupRow, parseRestoreRow, type JobRow } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import type { Plan } from '../plan/schema.js';

/** One line per job in SHOW BACKUP (source) or SHOW RESTORE (target) carrying one of the plan's labels. */
export async function labelsInJobHistory(plan: Plan, clusters: { source: DorisClient; target: DorisClient }): Promise<string[]> {
  const found: string[] = [];
  const bases = new Map(plan.steps.flatMap((s) => (s.kind === 'backup' ? [[s.id, s.label] as const] : [])));
  // Doris matches labels without regard to case; so do we.
  const ours = (label: string, base: string): boolean => label.toLowerCase().startsWith(`${base.toLowerCase()}_a`);
  const history = async (kind: 'backup' | 'restore', database: string): Promise<JobRow[]> => {
    const client = kind === 'backup' ? clusters.source : clusters.target;
    try {
      return kind === 'backup' ? (await client.query(sql.showBackup(database))).map(parseBackupRow) : (await client.query(sql.showRestore(database))).map(parseRestoreRow);
    } catch (e) {
      // A target database that does not exist yet has no history.
      if (e instanceof DorisQueryError && e.errno === 1049) return [];
      throw e;
    }
  };
  const perDatabase = new Map<string, Promise<JobRow[]>>();
  for (const step of plan.steps) {
    if (step.kind !== 'backup' && step.kind !== 'restore') continue;
    const base = step.kind === 'backup' ? step.label : bases.get(step.backupStep);
    if (!base) continue;
    const key = `${step.kind}:${step.database}`;
    if (!perDatabase.has(key)) perDatabase.set(key, history(step.kind, step.database));
    for (const job of await perDatabase.get(key)!) {
      if (ours(job.label, base)) found.push(`${step.kind === 'backup' ? 'SHOW BACKUP' : 'SHOW RESTORE'} FROM ${step.database} on the ${step.cluster}: ${job.label} (JobId ${job.jobId}, ${job.state})`);
    }
  }
  return found;
}
