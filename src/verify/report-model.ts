// The migration report: what a plan moved, how long each part took, which jobs ran and retried,
// what is left for a person, and whether the target was verified. Built from the plan, the run
// state and the last verification. Pure.
import { foldSystemDatabases, renamesOf, type Rename } from '../plan/renames.js';
import type { Plan, Step } from '../plan/schema.js';
import type { RunState, StepState } from '../run/state-model.js';
import type { Verification } from './model.js';
import { secondsBetween } from '../elapsed.js';

export type Stage = 'preflight' | 'repository' | 'backup' | 'restore' | 'follow-ups' | 'verify';

export interface TimedStage {
  stage: Stage;
  steps: number;
  done: number;
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
}

export interface DatabaseReport {
  source: string;
  target: string;
  tables: number;
  partitions: number;
  bytes: number;
  rows: number;
  /** Backup and restore jobs submitted (attempts), and how many of them were retries. */
  jobs: number;
  retries: number;
  status: 'done' | 'running' | 'failed' | 'pending';
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
}

/** One bar of the timeline: a step from its start to its end (or to the report time if unfinished). */
export interface TimelineBar {
  database: string;
  step: string;
  kind: Step['kind'];
  start: string;
  end: string;
  status: StepState['status'];
  /** Earlier attempts and how they ended, e.g. `a1: cancelled by Doris`. */
  attempts: string[];
  /** The same attempts as spans of time (each from the end of the one before), drawn in red. */
  failedSpans: { start: string; end: string; outcome: string }[];
}

/** Who made the run and when, from the trail of its applies (cli/trail.ts). */
export interface ReportContext {
  tool: string;
  /** Who ran the latest apply, and on which host. */
  operator: string;
  host: string;
  /** Each apply's span, oldest first. */
  runs: { start: string; end: string }[];
}

export interface Report {
  plan: string;
  /** The plan's fingerprint: what was reviewed and approved. */
  fingerprint: string;
  tool?: string;
  operator?: string;
  host?: string;
  runs: { start: string; end: string }[];
  /** Databases and tables restored under another name. */
  renames: Rename[];
  /** What the finished restores hold so far (a run that is not done has not migrated everything). */
  restored: { tables: number; bytes: number; jobs: number; jobsDone: number };
  source: string;
  target: string;
  repository: string;
  generatedAt: string;
  /** done: every step done (or left for a person); not started: no state yet. */
  status: 'done' | 'in progress' | 'failed' | 'not started';
  totals: { databases: number; tables: number; partitions: number; bytes: number; rows: number; steps: number; stepsDone: number };
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
  stages: TimedStage[];
  databases: DatabaseReport[];
  jobs: { submitted: number; retries: number; failed: number };
  failures: { step: string; error: string }[];
  followUps: { done: string[]; pending: { title: string; instructions: string; sql: string[] }[] };
  excluded: Plan['excluded'];
  warnings: string[];
  verification?: Verification;
  timeline: TimelineBar[];
}

const STAGE_OF: Record<Step['kind'], Stage> = {
  preflight: 'preflight', 'create-repository': 'repository', 'create-database': 'repository', backup: 'backup', restore: 'restore',
  colocate: 'follow-ups', 'dynamic-partition': 'follow-ups', mtmv: 'follow-ups', manual: 'follow-ups', verify: 'verify',
  drop: 'restore',
};

const earliest = (xs: (string | undefined)[]): string | undefined => xs.filter((x): x is string => !!x).sort()[0];
const latest = (xs: (string | undefined)[]): string | undefined => xs.filter((x): x is string => !!x).sort().at(-1);

/** Which source database a step belongs to (for per-database rows), if any. */
function databaseOf(plan: Plan, step: Step): string | undefined {
  if (step.kind === 'backup') return step.database;
  if (step.kind === 'restore') return step.sourceDatabase;
  if (step.kind === 'create-database' || step.kind === 'colocate' || step.kind === 'dynamic-partition' || step.kind === 'mtmv') return plan.databases.find((d) => d.target === step.database)?.source;
  return undefined;
}

/** The latest moment any step started, finished or ended an attempt. */
export function lastActivity(state: RunState | undefined): string | undefined {
  return latest(Object.values(state?.steps ?? {}).flatMap((s) => [s.startedAt, s.finishedAt, ...s.history.map((h) => h.at)]));
}

/**
 * The verification a report rewritten without a new one shows: the state's (apply's verify
 * step), or the one an earlier report held (a `verify` run) if it was made after the run's last
 * step, since a later step may have changed the target. The newer of the two wins.
 */
export function keptVerification(state: RunState | undefined, previous: Verification | undefined): Verification | undefined {
  const last = lastActivity(state);
  const fresh = previous && (!last || previous.checkedAt > last) ? previous : undefined;
  const own = state?.verification;
  if (!fresh) return own;
  return own && own.checkedAt >= fresh.checkedAt ? own : fresh;
}

export function buildReport(plan: Plan, state: RunState | undefined, now: string, verification?: Verification, context?: ReportContext): Report {
  const st = (id: string): StepState => state?.steps[id] ?? { status: 'pending', attempt: 0, history: [] };
  const end = (s: StepState): string | undefined => s.finishedAt ?? (s.startedAt ? (s.status === 'done' ? s.startedAt : state?.updatedAt ?? now) : undefined);
  const jobSteps = plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore');
  const statuses = plan.steps.map((s) => st(s.id).status);

  const stages: TimedStage[] = (['preflight', 'repository', 'backup', 'restore', 'follow-ups', 'verify'] as Stage[]).flatMap((stage) => {
    const steps = plan.steps.filter((s) => STAGE_OF[s.kind] === stage);
    if (!steps.length) return [];
    const startedAt = earliest(steps.map((s) => st(s.id).startedAt));
    const finishedAt = latest(steps.map((s) => end(st(s.id))));
    const t = secondsBetween(startedAt, finishedAt);
    return [{ stage, steps: steps.length, done: steps.filter((s) => st(s.id).status === 'done').length, ...(startedAt ? { startedAt } : {}), ...(finishedAt ? { finishedAt } : {}), ...(t !== undefined ? { seconds: t } : {}) }];
  });

  const databases: DatabaseReport[] = plan.databases.map((d) => {
    const steps = plan.steps.filter((s) => databaseOf(plan, s) === d.source);
    const jobs = steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').map((s) => st(s.id));
    const all = steps.map((s) => st(s.id));
    const status: DatabaseReport['status'] = all.some((s) => s.status === 'failed') ? 'failed' : all.every((s) => s.status === 'done' || s.status === 'manual') ? 'done' : all.some((s) => s.status !== 'pending') ? 'running' : 'pending';
    const startedAt = earliest(all.map((s) => s.startedAt));
    const finishedAt = status === 'done' ? latest(all.map(end)) : undefined;
    const t = secondsBetween(startedAt, finishedAt);
    return {
      ...d, jobs: jobs.reduce((n, s) => n + s.attempt, 0), retries: jobs.reduce((n, s) => n + Math.max(0, s.attempt - 1), 0), status,
      ...(startedAt ? { startedAt } : {}), ...(finishedAt ? { finishedAt } : {}), ...(t !== undefined ? { seconds: t } : {}),
    };
  });

  const timeline: TimelineBar[] = plan.steps.flatMap((s) => {
    const x = st(s.id);
    const database = databaseOf(plan, s);
    const stop = end(x);
    if (!database || !x.startedAt || !stop) return [];
    const failed = x.history.filter((h) => h.outcome !== 'finished');
    const attempts = failed.map((h) => `a${h.attempt}: ${h.outcome}`);
    // An attempt starts where the one before it ended (the first one at the step's start).
    const failedSpans = failed.map((h) => {
      const before = x.history.filter((p) => p.attempt < h.attempt).map((p) => p.at);
      return { start: latest([x.startedAt, ...before])!, end: h.at, outcome: h.outcome };
    });
    return [{ database, step: s.id, kind: s.kind, start: x.startedAt, end: stop, status: x.status, attempts, failedSpans }];
  });

  const startedAt = earliest(plan.steps.map((s) => st(s.id).startedAt));
  const finishedAt = latest(plan.steps.map((s) => end(st(s.id))));
  const t = secondsBetween(startedAt, finishedAt);
  const total = <K extends 'tables' | 'partitions' | 'bytes' | 'rows'>(k: K) => plan.databases.reduce((n, d) => n + d[k], 0);
  const status: Report['status'] = !state ? 'not started' : statuses.some((s) => s === 'failed') ? 'failed' : statuses.every((s) => s === 'done' || s === 'manual') ? 'done' : 'in progress';
  const verified = verification ?? state?.verification;
  const restores = plan.steps.filter((s) => s.kind === 'restore');
  const restoresDone = restores.filter((s) => st(s.id).status === 'done');
  return {
    plan: plan.name,
    fingerprint: plan.fingerprint,
    ...(context ? { tool: context.tool, operator: context.operator, host: context.host } : {}),
    runs: context?.runs ?? [],
    renames: renamesOf(plan),
    restored: { tables: restoresDone.reduce((n, s) => n + s.tables.length, 0), bytes: restoresDone.reduce((n, s) => n + s.bytes, 0), jobs: restores.length, jobsDone: restoresDone.length },
    source: `${plan.source.host}:${plan.source.port} (Doris ${plan.source.version})`,
    target: `${plan.target.host}:${plan.target.port} (Doris ${plan.target.version})`,
    repository: plan.repository.settings.location,
    generatedAt: now,
    status,
    totals: { databases: plan.databases.length, tables: total('tables'), partitions: total('partitions'), bytes: total('bytes'), rows: total('rows'), steps: plan.steps.length, stepsDone: statuses.filter((s) => s === 'done').length },
    ...(startedAt ? { startedAt } : {}), ...(finishedAt ? { finishedAt } : {}), ...(t !== undefined ? { seconds: t } : {}),
    stages,
    databases,
    jobs: {
      submitted: jobSteps.reduce((n, s) => n + st(s.id).attempt, 0),
      retries: jobSteps.reduce((n, s) => n + Math.max(0, st(s.id).attempt - 1), 0),
      failed: jobSteps.filter((s) => st(s.id).status === 'failed').length,
    },
    failures: plan.steps.filter((s) => st(s.id).status === 'failed').map((s) => ({ step: s.id, error: st(s.id).lastError ?? 'failed' })),
    followUps: {
      done: plan.steps.filter((s) => STAGE_OF[s.kind] === 'follow-ups' && st(s.id).status === 'done').map((s) => s.title),
      pending: plan.steps.flatMap((s) => (STAGE_OF[s.kind] === 'follow-ups' && st(s.id).status !== 'done' ? [{ title: s.title, instructions: s.kind === 'manual' ? s.instructions : 'runs automatically once its restores are done', sql: 'sql' in s ? s.sql : [] }] : [])),
    },
    excluded: foldSystemDatabases(plan.excluded),
    warnings: [...plan.warnings, ...(state?.skipped?.length ? [`skipped because they drifted on the source after planning (apply --accept-drift): ${state.skipped.join(', ')}`] : [])],
    ...(verified ? { verification: verified } : {}),
    timeline,
  };
}
