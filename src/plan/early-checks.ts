// Refusals that depend only on the two clusters' facts or on the replica count: pure, so `plan`
// can make them as soon as each fact is known (right after connecting, at the replica prompt)
// and buildPlan makes them again for any other caller, with the same words.
import type { ClusterFacts } from '../catalog/model.js';
import { crossVersionProblem, versionString } from '../doris/capabilities.js';
import { refusedError } from '../errors.js';
import type { Replication } from './schema.js';

interface Who {
  host: string;
  port: number;
  user: string;
}

/** Cloud mode on either side, a version pair Doris cannot restore across, a user without ADMIN. */
export function checkClusterPair(source: ClusterFacts, sourceRef: Who, target: ClusterFacts, targetRef: Who): void {
  if (source.version.cloud) throw refusedError('source-cloud', `the source ${sourceRef.host}:${sourceRef.port} runs in storage-compute decoupled (cloud) mode, where Doris cannot BACKUP: use another migration path (e.g. INSERT INTO ... SELECT over a catalog)`);
  if (target.version.cloud) throw refusedError('target-cloud', `the target ${targetRef.host}:${targetRef.port} runs in cloud mode, where Doris ${versionString(target.version)} cannot RESTORE`);
  const crossProblem = crossVersionProblem(source.version, target.version);
  if (crossProblem) throw refusedError('cross-version', crossProblem);
  if (!source.isAdmin) throw refusedError('source-not-admin', `the source user ${sourceRef.user} is not an admin: repositories and SHOW SNAPSHOT need ADMIN (GRANT ADMIN_PRIV ON *.*.* TO ...)`);
  if (!target.isAdmin) throw refusedError('target-not-admin', `the target user ${targetRef.user} is not an admin: repositories and SHOW SNAPSHOT need ADMIN`);
}

/** Replicas per tablet a replication setting asks for (0 for reserve: each table keeps its own). */
export function replicasOf(replication: Replication): number {
  if ('num' in replication) return replication.num;
  if ('allocation' in replication) return replication.allocation.split(',').reduce((s, p) => s + (Number(p.split(':')[1]) || 0), 0);
  return 0;
}

/** Why `replicas` cannot be placed on the target, or undefined when it can. */
export function tooManyReplicas(replicas: number, aliveBackends: number): string | undefined {
  return replicas > aliveBackends ? `the target has ${aliveBackends} alive backends but the plan asks for ${replicas} replicas: lower --replication-num or add backends` : undefined;
}

export function checkReplicas(replication: Replication, aliveBackends: number): void {
  const problem = tooManyReplicas(replicasOf(replication), aliveBackends);
  if (problem) throw refusedError('too-few-backends', problem);
}
