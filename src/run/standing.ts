// Where a migration stands, in one word, from its plan and state (and whether an apply holds its
// lock). Pure: `list` reads the files, this decides.
import type { Plan } from '../plan/schema.js';
import type { RunState } from './state-model.js';

export type Standing =
  /** Planned, never applied. */
  | 'planned'
  /** An apply holds the plan's lock and still runs. */
  | 'running'
  /** A step failed; apply again resumes. */
  | 'failed'
  /** Stopped before the end without a failure (a signal, a crash): apply again resumes. */
  | 'interrupted'
  /** Every step done (manual follow-ups may wait for a person). */
  | 'done'
  /** Done, and the last verification found no differences. */
  | 'verified';

export interface PlanStanding {
  standing: Standing;
  done: number;
  total: number;
  /** Follow-ups waiting for a person. */
  manual: number;
}

export function standingOf(plan: Plan, state: RunState | undefined, locked: boolean): PlanStanding {
  const statuses = plan.steps.map((s) => state?.steps[s.id]?.status ?? 'pending');
  const done = statuses.filter((s) => s === 'done').length;
  const manual = statuses.filter((s) => s === 'manual').length;
  const base = { done, total: plan.steps.length, manual };
  if (locked) return { standing: 'running', ...base };
  if (!state) return { standing: 'planned', ...base };
  if (statuses.includes('failed')) return { standing: 'failed', ...base };
  if (done + manual < statuses.length) return { standing: 'interrupted', ...base };
  const verified = state.verification !== undefined && state.verification.differences.length === 0;
  return { standing: verified ? 'verified' : 'done', ...base };
}
