// Submission rules shared by BACKUP and RESTORE (doris-facts.md Part B §3.3, §5.3, §6).
import type { Engine } from '../engine.js';
import { dorisError } from '../errors.js';
import { atLeast } from '../version.js';
import { isDone, jobsState, recentJobs } from './model.js';

export function refuseCloud(sim: Engine): void {
  if (sim.version.cloud) throw dorisError('BACKUP and RESTORE are not supported by the cloud mode yet');
}

export function repository(sim: Engine, name: string) {
  const repo = jobsState(sim.world).repositories[name];
  if (!repo) throw dorisError(`Repository ${name} does not exist`);
  return repo;
}

/** Doris's one-unfinished-job-per-database rule, with the suffix newer builds append. */
export function oneJobPerDatabase(sim: Engine, db: string, newLabel: string): void {
  const latest = recentJobs(jobsState(sim.world), db).at(-1);
  if (!latest || isDone(latest)) return;
  const v = sim.version;
  const suffix = atLeast(v, 4, 0) || (v.major === 3 && v.patch >= 3) || (v.major === 2 && v.minor === 1 && v.patch >= 7) || (v.major === 2 && v.minor === 0 && v.patch >= 16);
  const base = 'Can only run one backup or restore job of a database at same time';
  throw dorisError(suffix ? `${base} , current running: label = ${latest.label} jobId = ${latest.jobId}, to run label = ${newLabel}` : base);
}

export function timeoutSeconds(value: string | undefined, fallback = 86400): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw dorisError(`Invalid timeout format: ${value}`);
  if (n < 600) throw dorisError('timeout must be at least 10 min');
  return n;
}

export function bool(props: Record<string, string>, key: string): boolean {
  const v = props[key];
  delete props[key];
  if (v === undefined) return false;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw dorisError(`Invalid boolean property ${key} value: ${v}`);
}

