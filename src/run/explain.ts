// Doris's job failures as one line: what, where, Doris's words, and the likely fix.
import type { Step } from '../plan/schema.js';

const FIXES: [RegExp, string][] = [
  [/replication num should be less than the number of available backends|Failed to find enough backend/i, 'lower the replica count (plan again with a smaller --replication-num) or bring more target backends up'],
  [/already exist but with different schema/i, 'the target already has this table with another schema: drop or rename it there, or plan with --on-conflict alias'],
  [/TIMEOUT|timeout/i, 'the job ran out of time: plan again with a larger --job-timeout'],
  [/cooldowned remote data/i, 'the table has data cooled to remote storage: leave it out of the migration (--exclude)'],
  [/Access denied/i, 'grant LOAD on the database (and ADMIN for repositories) to the migration user'],
  [/failed to connect to the repo|Failed to create repository|BAD_CONNECTION|upload/i, 'check that the repository location and keys work from every backend'],
  [/not supported by the cloud mode/i, 'cloud-mode clusters cannot BACKUP or RESTORE'],
  [/user cancelled/i, 'the job was cancelled on the cluster; run apply again to retry it'],
];

export function explainJobFailure(step: Step, label: string, state: string, message: string): string {
  const db = 'database' in step ? step.database : '';
  const fix = FIXES.find(([re]) => re.test(message))?.[1];
  const what = step.kind === 'backup' || step.kind === 'restore' ? `${step.kind.toUpperCase()} ${label} of ${db} (${state})` : step.title;
  return `${what}: ${message}${fix ? ` — ${fix}` : ''}`;
}
