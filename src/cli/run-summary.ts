// The last lines of an apply: the real outcome (✔ only when the run is done), steps, bytes,
// follow-ups waiting for a person, the verification verdict and where the report is.
import type { Plan } from '../plan/schema.js';
import { formatBytes, plural as count } from '../plan/render.js';
import type { RunResult } from '../run/events.js';
import type { RunState } from '../run/state-model.js';

const HEADLINE: Record<RunResult, string> = {
  done: '✔ done',
  failed: '✖ failed: a step failed (see above); fix the cause and apply again to resume',
  refused: '✖ refused by preflight: nothing was changed',
  interrupted: '✖ interrupted: state saved; apply again to resume',
};

export interface SummaryInput {
  plan: Plan;
  state: RunState;
  result: RunResult;
  bytes: { moved: number; total: number };
  report: string;
}

/** The verification verdict as one phrase. */
export function verdict(state: RunState): string {
  const v = state.verification;
  if (!v) return 'not run (doris-migrate verify PLAN)';
  if (!v.differences.length) return `match (${count(v.tables, 'table')}, ${count(v.views, 'view')}${v.rows ? `, ${v.rows} rows counted` : ''}; ${v.level})`;
  return `${count(v.differences.length, 'difference')} (see the report)`;
}

export function summaryLines(s: SummaryInput): string[] {
  const statuses = s.plan.steps.map((p) => ({ id: p.id, status: s.state.steps[p.id]?.status ?? 'pending' }));
  const done = statuses.filter((x) => x.status === 'done').length;
  const failed = statuses.filter((x) => x.status === 'failed').map((x) => x.id);
  const manual = statuses.filter((x) => x.status === 'manual').map((x) => x.id);
  const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}`;
  return [
    HEADLINE[s.result],
    `  steps: ${done}/${s.plan.steps.length} done${failed.length ? `; failed: ${list(failed)}` : ''}`,
    `  bytes: ${formatBytes(s.bytes.moved)} of ${formatBytes(s.bytes.total)} through backup and restore jobs`,
    `  for a person: ${manual.length ? `${count(manual.length, 'follow-up')} waiting: ${list(manual)} (then apply --followups)` : 'nothing'}`,
    `  verification: ${verdict(s.state)}`,
    // Unindented and last: scripts and the README's contract read the report path from this line.
    `report: ${s.report}`,
  ];
}
