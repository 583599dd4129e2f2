// The plan for humans: text for a terminal, Markdown for a pull request, the SQL runbook, JSON.
// Return strings; connect nowhere. Pure.
import { foldSystemDatabases, renamesOf } from './renames.js';
import { oneLine, sqlComment } from '../doris/quote.js';
import { sql } from '../doris/sql.js';
import { attemptLabel } from './labels.js';
import type { Plan, Step } from './schema.js';
import { stepStatements, TIMESTAMP_PLACEHOLDER } from './statements.js';

/** Throughput the duration estimate assumes, per running job (stated in the output). */
export const ASSUMED_BYTES_PER_SECOND = 200 * 1024 * 1024;

/** `1 table`, `2 tables`. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A coarse duration for estimates: whole minutes (at least one), hours above 59 of them. */
export function formatDuration(seconds: number): string {
  // Rounded once, in minutes: rounding the minutes within the hour gave "1 h 60 min" at 7,190 s.
  const minutes = Math.max(1, Math.round(seconds / 60));
  const h = Math.floor(minutes / 60);
  return h ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

export function planSummary(plan: Plan) {
  const jobs = plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore');
  const bytes = plan.databases.reduce((s, d) => s + d.bytes, 0);
  const concurrency = Math.max(1, Math.min(plan.options.concurrency.source, plan.options.concurrency.target));
  // Each byte is moved twice (backup, restore); jobs run `concurrency` at a time per cluster, overlapped.
  const seconds = (2 * bytes) / ASSUMED_BYTES_PER_SECOND / concurrency;
  return {
    databases: plan.databases.length,
    tables: plan.databases.reduce((s, d) => s + d.tables, 0),
    partitions: plan.databases.reduce((s, d) => s + d.partitions, 0),
    rows: plan.databases.reduce((s, d) => s + d.rows, 0),
    bytes,
    jobs: jobs.length,
    followUps: plan.steps.filter((s) => s.kind === 'colocate' || s.kind === 'dynamic-partition' || s.kind === 'mtmv' || s.kind === 'manual').length,
    estimate: `${formatDuration(seconds)} at ${formatBytes(ASSUMED_BYTES_PER_SECOND)}/s per job, ${plural(concurrency, 'job')} at a time per cluster`,
    order: jobOrder(plan),
  };
}

/** How the run picks among ready jobs: the searched order (its gain and first jobs) or the formula. */
function jobOrder(plan: Plan): string {
  const workers = `${plural(plan.options.transferWorkers ?? 1, 'transfer worker')} per backend`;
  if (!plan.schedule) return `by the ranking formula (a job's remaining chain or its database's remaining serial work), ${workers}`;
  const gain = Math.round((plan.schedule.gain - 1) * 1000) / 10;
  const backups = new Set(plan.steps.filter((s) => s.kind === 'backup').map((s) => s.id));
  const first = plan.schedule.order.filter((id) => backups.has(id));
  return `searched at plan time, ${gain} % shorter than the ranking formula in the planning model (${workers}); first backups: ${first.slice(0, 3).join(', ')}${first.length > 3 ? ', ...' : ''}`;
}

/** A catch-up plan's summary and what it found changed, for text and Markdown alike. */
export function catchUpLines(plan: Plan): string[] {
  const c = plan.catchUp;
  if (!c) return [];
  const s = c.summary;
  const estimate = s.estimatedSeconds !== undefined ? `estimated ${formatDuration(s.estimatedSeconds)} at the previous run's pace` : 'no estimate (the previous run left no timings)';
  return [
    `Catch-up ${c.number} of ${c.of}: what changed on the source since ${c.since}`,
    `${plural(s.partitions, 'partition')} in ${plural(s.tables, 'table')} to copy, ${formatBytes(s.bytes)}; ${estimate}`,
    ...c.changes.map((x) => `  ${x.change.padEnd(14)} ${x.object}: ${x.detail}`),
  ];
}

const stepLine = (s: Step): string => `${s.id}  ${s.title}${s.dependsOn.length ? `  (after ${s.dependsOn.join(', ')})` : ''}`;

export function renderText(plan: Plan): string {
  const sum = planSummary(plan);
  const out: string[] = [
    `Plan ${plan.name} (${plan.fingerprint.slice(0, 19)}), made ${plan.createdAt}`,
    `  source  ${plan.source.user}@${plan.source.host}:${plan.source.port}  Doris ${plan.source.version}`,
    `  target  ${plan.target.user}@${plan.target.host}:${plan.target.port}  Doris ${plan.target.version}`,
    `  repository ${plan.repository.name} at ${plan.repository.settings.location}`,
    '',
    `${plural(sum.databases, 'database')}, ${plural(sum.tables, 'table')}, ${plural(sum.partitions, 'partition')}, ${formatBytes(sum.bytes)}, ${plural(sum.rows, 'row')}`,
    `${plural(sum.jobs, 'BACKUP/RESTORE job')}, ${plural(sum.followUps, 'follow-up')}; estimated ${sum.estimate}`,
    `Job order: ${sum.order}`,
    ...(plan.catchUp ? ['', ...catchUpLines(plan)] : []),
    '',
    'Databases:',
    ...plan.databases.map((d) => `  ${d.source}${d.target !== d.source ? ` -> ${d.target}` : ''}: ${plural(d.tables, 'table')}, ${formatBytes(d.bytes)}`),
    '',
    'Steps:',
    ...plan.steps.map((s) => `  ${stepLine(s)}`),
  ];
  const manual = plan.steps.filter((s) => s.kind === 'manual');
  if (manual.length) out.push('', 'For a person to do:', ...manual.map((s) => `  ${s.id}: ${s.kind === 'manual' ? s.instructions : ''}`));
  const renames = renamesOf(plan);
  if (renames.length) out.push('', 'Restored under another name:', ...renames.map((r) => `  ${r.kind === 'database' ? 'database ' : ''}${r.from} -> ${r.to}`));
  if (plan.excluded.length) out.push('', 'Left out:', ...foldSystemDatabases(plan.excluded).map((e) => `  ${e.object} [${e.kind}]: ${e.reason}. ${e.remedy}`));
  if (plan.warnings.length) out.push('', 'Warnings:', ...plan.warnings.map((w) => `  ! ${w}`));
  // Names come from the source cluster: each line stays one line, without terminal escapes.
  return `${out.map(oneLine).join('\n')}\n`;
}

const md = (s: string): string => oneLine(s).replace(/\|/g, '\\|');

export function renderMarkdown(plan: Plan): string {
  const sum = planSummary(plan);
  const out: string[] = [
    `## Migration plan \`${plan.name}\``,
    '',
    `| | |`,
    `| --- | --- |`,
    `| source | \`${plan.source.user}@${plan.source.host}:${plan.source.port}\` (Doris ${plan.source.version}) |`,
    `| target | \`${plan.target.user}@${plan.target.host}:${plan.target.port}\` (Doris ${plan.target.version}) |`,
    `| repository | \`${plan.repository.name}\` at \`${plan.repository.settings.location}\` |`,
    `| size | ${sum.databases} databases, ${sum.tables} tables, ${sum.partitions} partitions, ${formatBytes(sum.bytes)} |`,
    `| jobs | ${sum.jobs} BACKUP/RESTORE, ${sum.followUps} follow-ups |`,
    `| estimate | ${sum.estimate} |`,
    `| job order | ${md(sum.order)} |`,
    `| fingerprint | \`${plan.fingerprint}\` |`,
    ...(plan.catchUp ? ['', '### Catch-up', '', '```', ...catchUpLines(plan), '```'] : []),
    '',
    '### Databases',
    '',
    '| source | target | tables | partitions | size |',
    '| --- | --- | ---: | ---: | ---: |',
    ...plan.databases.map((d) => `| \`${md(d.source)}\` | \`${md(d.target)}\` | ${d.tables} | ${d.partitions} | ${formatBytes(d.bytes)} |`),
    '',
    '### Steps',
    '',
    '| step | what | after |',
    '| --- | --- | --- |',
    ...plan.steps.map((s) => `| \`${md(s.id)}\` | ${md(s.title)} | ${s.dependsOn.map((d) => `\`${md(d)}\``).join(', ')} |`),
  ];
  const renames = renamesOf(plan);
  if (renames.length) out.push('', '### Restored under another name', '', '| on the source | on the target |', '| --- | --- |', ...renames.map((r) => `| \`${md(r.from)}\` | \`${md(r.to)}\` |`));
  if (plan.excluded.length) out.push('', '### Left out', '', '| object | why | what to do |', '| --- | --- | --- |', ...foldSystemDatabases(plan.excluded).map((e) => `| \`${md(e.object)}\` | ${md(e.reason)} | ${md(e.remedy)} |`));
  if (plan.warnings.length) out.push('', '### Warnings', '', ...plan.warnings.map((w) => `- ${md(w)}`));
  return `${out.join('\n')}\n`;
}

/** The runbook a person could paste, in plan order, secrets as `${ENV}` placeholders. */
export function renderSql(plan: Plan): string {
  // Every comment line goes through sqlComment and every name in one through the quoting
  // functions: names come from the source cluster, and one holding a newline must not be able to
  // put an executable line into a script someone pastes.
  const out: string[] = [sqlComment(`doris-migrate plan ${plan.name} (${plan.fingerprint})`), sqlComment('Secrets are ${ENV_VAR} placeholders: substitute them yourself; never commit the values.'), ''];
  for (const step of plan.steps) {
    const where = 'cluster' in step ? ` [${step.cluster} ${step.cluster === 'source' ? `${plan.source.host}:${plan.source.port}` : `${plan.target.host}:${plan.target.port}`}]` : '';
    out.push(sqlComment(`${step.id}: ${step.title}${where}`));
    if (step.kind === 'preflight') out.push(sqlComment('  doris-migrate checks versions, privileges, backends, conflicts and the repository here.'));
    if (step.kind === 'backup') out.push(sqlComment(`  wait until ${sql.showBackup(step.database, attemptLabel(step.label, 1))} shows State FINISHED`));
    if (step.kind === 'restore') {
      const backup = plan.steps.find((s) => s.id === step.backupStep);
      const label = backup?.kind === 'backup' ? attemptLabel(backup.label, 1) : '';
      out.push(sqlComment(`  take ${TIMESTAMP_PLACEHOLDER} from: ${sql.showSnapshot(plan.repository.name, label)}  (column Timestamp, last line)`));
    }
    if (step.kind === 'manual') out.push(sqlComment(`  ${step.instructions}`));
    for (const statement of stepStatements(plan, step)) out.push(`${statement};`);
    if (step.kind === 'restore') out.push(sqlComment(`  wait until ${sql.showRestore(step.database)} shows State FINISHED`));
    out.push('');
  }
  return out.join('\n');
}

export const renderJson = (plan: Plan): string => `${JSON.stringify(plan, null, 2)}\n`;
