// The PROPERTIES of a planned RESTORE, and the replication they share with the objects follow-ups
// create: one builder for the migration plan, the catch-up plan and the MVs. Pure.
import type { Replication } from './schema.js';

/** The properties that give an object the plan's replication; undefined when the plan keeps the source's. */
export function replicationProperties(r: Replication): Record<string, string> | undefined {
  if ('num' in r) return { replication_num: String(r.num) };
  if ('allocation' in r) return { replication_allocation: r.allocation };
  return undefined;
}

export interface RestoreChoices {
  replication: Replication;
  /** Some table of the job keeps its dynamic partitioning on (not switched on later by a follow-up). */
  dynamicPartition: boolean;
  /** Both clusters keep colocation through a restore and some table of the job has a group. */
  colocate: boolean;
  /** The job replaces its tables atomically; `forceReplace` also when their schemas differ. */
  atomic: boolean;
  forceReplace: boolean;
  timeoutSeconds: number;
}

/** In the order the RESTORE statement lists them (the plan's fingerprint covers them). */
export function restoreProperties(c: RestoreChoices): Record<string, string> {
  const properties: Record<string, string> = { ...(replicationProperties(c.replication) ?? { reserve_replica: 'true' }) };
  if (c.dynamicPartition) properties.reserve_dynamic_partition_enable = 'true';
  if (c.colocate) properties.reserve_colocate = 'true';
  if (c.atomic) {
    properties.atomic_restore = 'true';
    if (c.forceReplace) properties.force_replace = 'true';
  }
  properties.timeout = String(c.timeoutSeconds);
  return properties;
}
