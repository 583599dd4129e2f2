// The SQL of each step, for the runbook (placeholders) and for the runner (real values). Pure.
import { sql } from '../doris/sql.js';
import { planVersion } from '../doris/capabilities.js';
import { repositoryDefinition, type RepositorySecrets } from '../storage/properties.js';
import { attemptLabel } from './labels.js';
import type { Plan, Step } from './schema.js';

/** Values known only at run time; absent parts render as placeholders or comments. */
export interface RunValues {
  secrets?: RepositorySecrets;
  /** Attempt number of backup/restore steps (default 1). */
  attempt?: number;
  /** backup_timestamp for a restore, from SHOW SNAPSHOT. */
  backupTimestamp?: string;
  /** For a restore: the attempt label its backup finished under. */
  backupLabel?: string;
}


export const TIMESTAMP_PLACEHOLDER = '<backup_timestamp>';

/** The statements a step sends, in order. */
export function stepStatements(plan: Plan, step: Step, values: RunValues = {}): string[] {
  switch (step.kind) {
    case 'create-repository': {
      const cluster = step.cluster === 'source' ? plan.source : plan.target;
      const def = repositoryDefinition(plan.repository.settings, planVersion(cluster.version), values.secrets);
      return [sql.createRepository({ name: plan.repository.name, readOnly: step.readOnly, ...def })];
    }
    case 'create-database':
      return [sql.createDatabase(step.database, step.properties)];
    case 'backup':
      return [
        sql.backup({
          database: step.database,
          label: attemptLabel(step.label, values.attempt ?? 1),
          repository: plan.repository.name,
          tables: step.tables,
          properties: { timeout: String(step.timeoutSeconds) },
        }),
      ];
    case 'restore': {
      const backup = plan.steps.find((s) => s.id === step.backupStep);
      const label = values.backupLabel ?? (backup?.kind === 'backup' ? attemptLabel(backup.label, 1) : '');
      return [
        sql.restore({
          database: step.database,
          label,
          repository: plan.repository.name,
          tables: step.tables,
          properties: { backup_timestamp: values.backupTimestamp ?? TIMESTAMP_PLACEHOLDER, ...step.properties },
        }),
      ];
    }
    case 'colocate':
    case 'dynamic-partition':
    case 'mtmv':
      return step.sql;
    case 'manual':
      return step.sql;
    case 'drop':
      return step.partitions ? step.partitions.map((p) => sql.dropPartition(step.database, step.table, p)) : [sql.dropTable(step.database, step.table)];
    case 'preflight':
    case 'verify':
      return [];
  }
}
