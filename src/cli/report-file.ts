// Writes plans/<name>.report.md, .report.json and the timeline as .report.svg beside the plan, atomically.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { Plan } from '../plan/schema.js';
import { RunStateSchema, type RunState } from '../run/state-model.js';
import type { Verification } from '../verify/model.js';
import { buildReport, keptVerification, type ReportContext } from '../verify/report-model.js';
import { logPath } from './trail.js';
import { VERSION } from './version.js';
import { operatorName } from './operator.js';
import { reportMarkdown, timelineOptions } from '../verify/report-markdown.js';
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
  const report = buildReport(plan, state, now.toISOString(), shown, reportContext(planPath));
  writeFileAtomic(reportPath(planPath, 'json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(reportPath(planPath, 'svg'), `${timelineSvg(report.timeline, timelineOptions(report))}\n`);
  writeFileAtomic(reportPath(planPath, 'md'), reportMarkdown(report, basename(reportPath(planPath, 'svg'))));
  return reportPath(planPath, 'md');
}

/**
 * Who ran the migration and when, from the plan's trail: each apply from its `apply-started` to
 * its last line (a killed apply has no `apply-ended`). Without a trail: whoever writes the report.
 */
function reportContext(planPath: string): ReportContext {
  const context: ReportContext = { tool: VERSION, operator: operatorName(), host: hostname(), runs: [] };
  let text = '';
  try {
    text = readFileSync(logPath(planPath), 'utf8');
  } catch {
    return context;
  }
  for (const line of text.split('\n')) {
    let e: { time?: unknown; kind?: unknown; operator?: unknown; host?: unknown; tool?: unknown };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue; // a line cut short by a crash
    }
    if (typeof e.time !== 'string') continue;
    if (e.kind === 'apply-started') {
      context.runs.push({ start: e.time, end: e.time });
      if (typeof e.operator === 'string') context.operator = e.operator;
      if (typeof e.host === 'string') context.host = e.host;
      if (typeof e.tool === 'string') context.tool = e.tool;
    } else if (context.runs.length) context.runs.at(-1)!.end = e.time;
  }
  return context;
}
