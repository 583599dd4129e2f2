// What a change ticket needs from the report: the plan's fingerprint, who ran it from where with
// which version, start and end, renames, system databases in one line; a run that is not done
// never claims to have migrated; a timeline with a title, wall-clock labels, visible follow-ups
// and the time between two applies cut down to a gap.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/schema.js';
import { renderMarkdown, renderText } from '../../src/plan/render.js';
import { initialState, type RunState } from '../../src/run/state-model.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { buildReport, type ReportContext, type TimelineBar } from '../../src/verify/report-model.js';
import { reportMarkdown } from '../../src/verify/report-markdown.js';
import { timelineSvg } from '../../src/verify/timeline-svg.js';
import { aCatalog, targetFacts } from '../support/catalog-builder.js';

function plan(): Plan {
  const catalog = aCatalog('3.0.3').withDb('shop', { tables: 2 }).build();
  return buildPlan({
    name: 'ticket', now: '2026-12-04T08:00:00.000Z',
    source: { catalog, ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
    target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/ticket', { s3Endpoint: 'http://minio:9000' }) },
    options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 1 << 30, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: { renames: { shop: 'shop_v2' } },
  });
}

/** Every step done, a minute each, from 09:00. */
function finished(p: Plan): RunState {
  const state = initialState(p, '2026-12-04T09:00:00.000Z');
  let t = Date.parse('2026-12-04T09:00:00.000Z');
  for (const s of p.steps) Object.assign(state.steps[s.id]!, { status: 'done', startedAt: new Date(t).toISOString(), finishedAt: new Date((t += 60_000)).toISOString(), attempt: 1 });
  return state;
}

const context: ReportContext = { tool: '0.1.0', operator: 'alice', host: 'ops-laptop', runs: [{ start: '2026-12-04T08:59:00.000Z', end: '2026-12-04T09:30:00.000Z' }] };

describe('the report for a change ticket', () => {
  it('carries the fingerprint, who ran it where with which version, start and end, renames, and system databases in one line', () => {
    const p = plan();
    const md = reportMarkdown(buildReport(p, finished(p), '2026-12-04T10:00:00.000Z', undefined, context));
    expect(md).toContain(`| plan fingerprint | \`${p.fingerprint}\` |`);
    expect(md).toContain('| run by | alice on ops-laptop, doris-migrate 0.1.0 |');
    expect(md).toContain('| started | 2026-12-04T09:00:00.000Z |');
    expect(md).toMatch(/\| ended \| 2026-12-04T09:\d\d:00.000Z \|/);
    expect(md).toContain('| `shop` | `shop_v2` |');
    expect(md).toContain('| migrated | 1 database, 2 tables,');
    const leftOut = md.slice(md.indexOf('## Left out'));
    expect(leftOut.match(/system databases \(/g)).toHaveLength(1);
    expect(leftOut).not.toMatch(/^\| `mysql` \|/m);
  });

  it('a failed run says how far it got, never "migrated"', () => {
    const p = plan();
    const state = finished(p);
    const restore = p.steps.find((s) => s.kind === 'restore')!;
    Object.assign(state.steps[restore.id]!, { status: 'failed', lastError: 'disk full' });
    const md = reportMarkdown(buildReport(p, state, '2026-12-04T10:00:00.000Z', undefined, context));
    expect(md).toContain('**failed**');
    expect(md).not.toMatch(/\bmigrated\b/);
    expect(md).toContain('| restored so far | 0 of 1 restore job: 0 tables, 0 B |');
  });

  it('review shows the renames in text and Markdown', () => {
    const p = plan();
    expect(renderText(p)).toContain('Restored under another name:\n  database shop -> shop_v2');
    expect(renderMarkdown(p)).toContain('| `shop` | `shop_v2` |');
  });
});

describe('the timeline', () => {
  const bar = (step: string, kind: TimelineBar['kind'], start: string, end: string): TimelineBar => ({ database: 'shop', step, kind, start, end, status: 'done', attempts: [], failedSpans: [] });
  const rect = (svg: string, step: string) => {
    const m = new RegExp(`<rect x="([\\d.]+)" y="\\d+" width="([\\d.]+)"[^>]*><title>${step.replace(/[:]/g, '\\$&')} `).exec(svg);
    return { x: Number(m![1]), w: Number(m![2]) };
  };

  it('has a title, wall-clock labels, and follow-ups wide enough to see', () => {
    const svg = timelineSvg([bar('backup:shop:1', 'backup', '2026-12-04T09:00:00.000Z', '2026-12-04T11:00:00.000Z'), bar('colocate:shop:t', 'colocate', '2026-12-04T11:00:00.000Z', '2026-12-04T11:00:01.000Z')], { title: 'Migration ticket' });
    expect(svg).toContain('>Migration ticket: 2026-12-04 09:00 to 2026-12-04 11:00 UTC</text>');
    expect(svg).toContain('>09:00</text>');
    expect(svg).toContain('>10:30</text>');
    expect(rect(svg, 'colocate:shop:t').w).toBeGreaterThanOrEqual(6);
  });

  it('draws the time between two applies as a narrow gap, not as work', () => {
    const bars = [bar('backup:shop:1', 'backup', '2026-12-04T09:00:00.000Z', '2026-12-04T09:10:00.000Z'), bar('restore:shop:1', 'restore', '2026-12-04T15:00:00.000Z', '2026-12-04T15:10:00.000Z')];
    const runs = [{ start: '2026-12-04T09:00:00.000Z', end: '2026-12-04T09:10:00.000Z' }, { start: '2026-12-04T15:00:00.000Z', end: '2026-12-04T15:10:00.000Z' }];
    const cut = timelineSvg(bars, { runs });
    expect(cut).toContain('fill="url(#gap)"');
    expect(cut).toContain('no apply running for 5.8 h');
    // Ten minutes of work on each side of the gap share the width: each bar is nearly half of it.
    expect(rect(cut, 'backup:shop:1').w).toBeGreaterThan(300);
    expect(rect(cut, 'restore:shop:1').w).toBeGreaterThan(300);
    const uncut = timelineSvg(bars);
    expect(uncut).not.toContain('url(#gap)');
    expect(rect(uncut, 'backup:shop:1').w).toBeLessThan(40);
  });
});
