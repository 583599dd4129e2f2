// The report as Markdown for a change ticket or a pull request, with the timeline inline. Pure.
import { formatBytes, plural } from '../plan/render.js';
import { formatElapsed } from '../elapsed.js';
import type { Report } from './report-model.js';
import { timelineSvg, type TimelineOptions } from './timeline-svg.js';

/** The timeline's title and the applies whose gaps it cuts. */
export const timelineOptions = (r: Report): TimelineOptions => ({ title: `Migration ${r.plan}`, runs: r.runs });

/**
 * Text safe inside a Markdown table cell or a line: one line, no pipe that splits a cell, no
 * raw HTML, no emphasis or link syntax taken from a name (CommonMark escapes any ASCII punctuation).
 */
export const mdCell = (s: string): string =>
  s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*[\]|]/g, (c) => `\\${c}`)
    // An underscore inside a word never starts emphasis: left alone, names like order_group stay readable.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

/**
 * A code span holding `s` exactly: a fence longer than any run of backticks inside (entities and
 * backslashes are literal in code spans). In a table a pipe gets a backslash: GFM never splits a
 * cell at a pipe right after a backslash and then drops that one backslash, in code spans too.
 */
export function code(s: string, inTable = true): string {
  let t = s.replace(/\r?\n|\r/g, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || /^ .* $/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced block that no line of `text` can close early. */
const fenced = (lang: string, text: string, indent: string): string[] => {
  const fence = '`'.repeat(Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  return [`${indent}${fence}${lang}`, ...text.split('\n').map((l) => `${indent}${l}`), `${indent}${fence}`];
};

/** `svgFile`: the timeline also written beside the report, linked for viewers that strip inline SVG. */
export function reportMarkdown(r: Report, svgFile?: string): string {
  const t = r.totals;
  const v = r.verification;
  const verdict = !v ? 'not verified yet (`doris-migrate verify PLAN`)' : v.differences.length ? `**${plural(v.differences.length, 'difference')}** (${v.level}, ${v.checkedAt})` : v.tables === 0 && v.views === 0 ? `nothing to compare: the plan copies no table or view (${v.checkedAt})` : `source and target match (${v.level}: ${plural(v.tables, 'table')}, ${plural(v.views, 'view')}, ${plural(v.rows, 'row')}; ${v.checkedAt})`;
  const out: string[] = [
    `# Migration report: ${mdCell(r.plan)}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| status | **${r.status}** (${t.stepsDone} of ${t.steps} steps done) |`,
    `| plan fingerprint | ${code(r.fingerprint)} |`,
    ...(r.operator ? [`| run by | ${mdCell(r.operator)} on ${mdCell(r.host ?? '?')}, doris-migrate ${mdCell(r.tool ?? '?')} |`] : []),
    `| source | ${mdCell(r.source)} |`,
    `| target | ${mdCell(r.target)} |`,
    `| repository | ${code(r.repository)} |`,
    // Only a finished run has migrated what the plan holds; any other says how far it got.
    ...(r.status === 'done'
      ? [`| migrated | ${plural(t.databases, 'database')}, ${plural(t.tables, 'table')}, ${plural(t.partitions, 'partition')}, ${formatBytes(t.bytes)}, ~${plural(t.rows, 'row')} |`]
      : [
          `| planned | ${plural(t.databases, 'database')}, ${plural(t.tables, 'table')}, ${plural(t.partitions, 'partition')}, ${formatBytes(t.bytes)}, ~${plural(t.rows, 'row')} |`,
          `| restored so far | ${r.restored.jobsDone} of ${plural(r.restored.jobs, 'restore job')}: ${plural(r.restored.tables, 'table')}, ${formatBytes(r.restored.bytes)} |`,
        ]),
    `| started | ${r.startedAt ?? '—'} |`,
    `| ended | ${r.status === 'done' || r.status === 'failed' ? (r.finishedAt ?? '—') : `not yet (last activity ${r.finishedAt ?? '—'})`} |`,
    `| wall time | ${formatElapsed(r.seconds)}${r.runs.length > 1 ? ` over ${r.runs.length} applies` : ''} |`,
    `| jobs | ${r.jobs.submitted} submitted, ${r.jobs.retries} retried, ${r.jobs.failed} failed |`,
    `| verification | ${verdict} |`,
    `| report made | ${r.generatedAt} |`,
    '',
    '## Timeline',
    '',
    timelineSvg(r.timeline, timelineOptions(r)),
    '',
    ...(svgFile ? [`The same picture as a file, for viewers that strip inline SVG (GitHub, GitLab): [${mdCell(svgFile)}](${encodeURI(svgFile)})`, ''] : []),
    '## Stages',
    '',
    '| stage | steps | done | took |',
    '| --- | ---: | ---: | ---: |',
    ...r.stages.map((s) => `| ${s.stage} | ${s.steps} | ${s.done} | ${formatElapsed(s.seconds)} |`),
    '',
    '## Databases',
    '',
    '| source | target | tables | partitions | size | rows | jobs | retries | status | took |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...r.databases.map((d) => `| ${code(d.source)} | ${code(d.target)} | ${d.tables} | ${d.partitions} | ${formatBytes(d.bytes)} | ${d.rows} | ${d.jobs} | ${d.retries} | ${d.status} | ${formatElapsed(d.seconds)} |`),
  ];
  if (r.renames.length) out.push('', '## Restored under another name', '', '| on the source | on the target |', '| --- | --- |', ...r.renames.map((x) => `| ${code(x.from)} | ${code(x.to)} |`));
  if (r.failures.length) out.push('', '## Failed steps', '', ...r.failures.map((f) => `- ${code(f.step, false)}: ${mdCell(f.error)}`));
  if (v?.notChecked?.length) out.push('', '## Not checked', '', ...v.notChecked.map((n) => `- ${code(n.object)}: ${mdCell(n.reason)}`));
  if (v?.differences.length) {
    out.push('', '## Differences', '', '| object | aspect | expected | actual |', '| --- | --- | --- | --- |', ...v.differences.map((d) => `| ${code(d.object)} | ${d.aspect} | ${mdCell(d.expected)} | ${mdCell(d.actual)} |`));
  }
  out.push('', '## Follow-ups', '');
  if (!r.followUps.done.length && !r.followUps.pending.length) out.push('None: Doris left nothing to do by hand.');
  for (const f of r.followUps.done) out.push(`- [x] ${mdCell(f)}`);
  for (const f of r.followUps.pending) {
    out.push(`- [ ] ${mdCell(f.title)}: ${mdCell(f.instructions)}`);
    if (f.sql.length) out.push('', ...fenced('sql', f.sql.join('\n'), '  '));
  }
  out.push('', '## Left out', '');
  if (!r.excluded.length) out.push('Nothing.');
  else out.push('| object | why | what to do |', '| --- | --- | --- |', ...r.excluded.map((e) => `| ${code(e.object)} | ${mdCell(e.reason)} | ${mdCell(e.remedy)} |`));
  if (r.warnings.length) out.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${mdCell(w)}`));
  return `${out.join('\n')}\n`;
}
