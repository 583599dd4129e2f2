// Writes plans/<name>.report.md and .report.json beside the plan, atomically.
import { writeFileAtomic } from '../atomic-file.js';
import type { Plan } from '../plan/schema.js';
import type { RunState } from '../run/state-model.js';
import type { Verification } from '../verify/model.js';
import { buildReport } from '../verify/report-model.js';
import { reportMarkdown } from '../verify/report-markdown.js';

export const reportPath = (planPath: string, ext: 'md' | 'json'): string => `${planPath.replace(/\.ya?ml$/i, '')}.report.${ext}`;

/** Returns the Markdown file's path. */
export function writeReport(planPath: string, plan: Plan, state: RunState | undefined, now: Date, verification?: Verification): string {
  const report = buildReport(plan, state, now.toISOString(), verification);
  writeFileAtomic(reportPath(planPath, 'json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(reportPath(planPath, 'md'), reportMarkdown(report));
  return reportPath(planPath, 'md');
}
