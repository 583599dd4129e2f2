// Every wait of a job step has a bound, after which the step fails with a named error (exit 1,
// resumable: the attempt stays in flight and the next run reconciles it with the cluster).
import { stepFailedError } from '../../errors.js';
import type { BackupStep, RestoreStep } from '../../plan/schema.js';
import type { StepState } from '../state-model.js';

/** Polls of a FINISHED backup whose snapshot SHOW SNAPSHOT does not list, before the step fails. */
export const SNAPSHOT_POLLS = 30;
/**
 * Looks, after a BACKUP or RESTORE whose reply was lost, before it counts as never run and is sent
 * again: the FE may still be registering the job (a BACKUP copies the tables' metadata first).
 */
export const LOST_REPLY_LOOKS = 6;

/** Beyond a job's own Doris timeout, how long we give Doris to end it: a tenth of it, at least 10 minutes. */
export const timeoutMarginMs = (timeoutSeconds: number): number => Math.max(600_000, timeoutSeconds * 100);

const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;

/**
 * Why the attempt has waited too long, or undefined. An attempt waits for its own job (watched)
 * or for the database's other job to end (busy); either way past the job's Doris timeout plus the
 * margin, Doris itself should have ended it.
 */
export function overdue(step: BackupStep | RestoreStep, s: StepState, now: Date, waitingOn: string): string | undefined {
  if (!s.attemptStartedAt) return undefined;
  const waited = now.getTime() - Date.parse(s.attemptStartedAt);
  const bound = step.timeoutSeconds * 1000 + timeoutMarginMs(step.timeoutSeconds);
  if (!(waited > bound)) return undefined;
  return `${step.kind.toUpperCase()} ${s.label} of ${step.database} has waited ${minutes(waited)} for ${waitingOn}, past its Doris timeout of ${step.timeoutSeconds} s plus ${minutes(timeoutMarginMs(step.timeoutSeconds))}: look at SHOW ${step.kind.toUpperCase()} FROM ${step.database} on the ${step.cluster} (doris-migrate cancel ends a job of ours), then run apply again`;
}

/** The named error of a cluster that stayed unreachable past `outageMs` while we watched a job. */
export const clusterGone = (step: BackupStep | RestoreStep, label: string, address: string, outageMs: number, cause: unknown) =>
  stepFailedError('cluster-unreachable', `the ${step.cluster} ${address} has been unreachable for ${minutes(outageMs)} while watching ${step.kind.toUpperCase()} ${label} of ${step.database}; the job goes on without us: run apply again once the cluster is back (last error: ${cause instanceof Error ? cause.message : String(cause)})`, cause);
