// Deterministic snapshot labels valid for Doris (`^[-_A-Za-z0-9:]{1,128}$`) whatever a database is
// called. Labels are unique per repository, so they carry the database, and the runner appends
// `_a<attempt>`. The default prefix carries the plan's id, so two migrations never share a label
// (a job is taken for ours by its label). Pure.
import { createHash } from 'node:crypto';

/** Room left for the runner's `_a<attempt>` suffix. */
export const MAX_BASE_LABEL = 120;

const shortHash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 6);

/** `<prefix>_<readable db>_<hash of db>_b<batch>`: readable where possible, unique always. */
export function backupLabel(prefix: string, database: string, batch: number): string {
  const readable = database.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'db';
  return `${prefix}_${readable}_${shortHash(database)}_b${batch}`.slice(0, MAX_BASE_LABEL);
}

/** The label actually sent to Doris for an attempt. */
export const attemptLabel = (base: string, attempt: number): string => `${base}_a${attempt}`;

/** What makes one migration differ from another planned at the same instant. */
export interface PlanIdentity {
  name: string;
  /** ISO time the plan was made. */
  now: string;
  source: { host: string; port: number };
  target: { host: string; port: number };
  repository: { name: string; location: string };
}

/** The plan's id: 8 hex characters, the same for the same inputs (the planner reads no clock or randomness). */
export function planIdOf(p: PlanIdentity): string {
  const parts = [p.name, p.now, `${p.source.host}:${p.source.port}`, `${p.target.host}:${p.target.port}`, p.repository.name, p.repository.location];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 8);
}

/** The default label prefix: `dm<yyMMddHHmm>_<plan id>` (21 characters; the prefix allows 24). */
export function defaultLabelPrefix(now: string, planId: string): string {
  return `dm${now.slice(2, 16).replace(/[-:T]/g, '')}_${planId}`;
}
