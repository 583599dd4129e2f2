// Writes plans/<name>.report.md, .report.json and the timeline as .report.svg beside the plan, atomically.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { Plan } from '../plan/schema.js';
import { RunStateSchema, type RunState } from '../run/state-model.js';
import type { Verification } from '../verify/model.js';
import { buildReport, keptVerification } from '../verify/report-model.js';
import { reportMarkdown } from '../verify/report-markdown.js';
import { timelineSvg } from '../verify/timeline-svg.js';

export const reportPath = (planPath: string, ext: 'md' | 'json' | 'svg'): string => `${planPath.replace(/\.ya?ml$/i, '')}.report.${ext}`;

/** The verification the report already on disk holds, if it has a readable one (it is our own output; anything else is ignored). */
function previousVerification(planPath: string): Verification | undefined {
  const path = reportPath(planPath, 'json');
  if (!existsSync(path)) return undefined;
  try {
    const parsed = RunStateSchema.shape.verification.safeParse((JSON.parse(readFileSync(path, 'utf8')) as { verification?: unknown }).verification);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the Markdown file's path. Without a `verification` (apply), the report keeps the one
 * it showed before only if that was made after the run's last step (see keptVerification).
 */
export function writeReport(planPath: string, plan: Plan, state: RunState | undefined, now: Date, verification?: Verification): string {
  const shown = verification ?? keptVerification(state, previousVerification(planPath));
  const report = buildReport(plan, state, now.toISOString(), shown);
  writeFileAtomic(reportPath(planPath, 'json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(reportPath(planPath, 'svg'), `${timelineSvg(report.timeline)}\n`);
  writeFileAtomic(reportPath(planPath, 'md'), reportMarkdown(report, basename(reportPath(planPath, 'svg'))));
  return reportPath(planPath, 'md');
}
