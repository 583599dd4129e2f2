// What apply, status and cancel share: where a plan's state and lock live, and opening clients
// and the repository with secrets from the environment.
import type { CliIO } from './io.js';
import type { Plan } from '../plan/schema.js';
import type { DorisClient } from '../doris/client.js';

export const statePath = (planPath: string): string => planPath.replace(/\.ya?ml$/i, '') + '.state.json';
export const lockPath = (planPath: string): string => planPath.replace(/\.ya?ml$/i, '') + '.lock';

export async function openClusters(plan: Plan, io: CliIO): Promise<{ source: DorisClient; target: DorisClient; close(): Promise<void> }> {
  const { connect } = await import('../doris/connection.js');
  const { targetSessionVariables } = await import('../plan/target-session.js');
  const open = (c: Plan['source'], sessionVariables: Record<string, string> = {}) =>
    connect({ host: c.host, port: c.port, user: c.user, password: io.env[c.passwordEnv] ?? '', passwordEnv: c.passwordEnv, tls: c.tls, sessionVariables });
  const source = open(plan.source);
  // Names the plan creates on the target may need Unicode names allowed in its sessions.
  const target = open(plan.target, targetSessionVariables(plan));
  return { source, target, close: async () => void (await Promise.allSettled([source.close(), target.close()])) };
}
