// The migration report: the model from a plan and its state, the Markdown and the SVG timeline
// (escaped, well formed), and the files apply and verify leave beside the plan.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/schema.js';
import { initialState, type RunState } from '../../src/run/state-model.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { buildReport, type Report } from '../../src/verify/report-model.js';
import { reportMarkdown } from '../../src/verify/report-markdown.js';
import { timelineSvg } from '../../src/verify/timeline-svg.js';
import { aCatalog, aTable, targetFacts } from '../support/catalog-builder.js';
import { demoMigration, MIGRATION_SECRET, type Migration } from '../support/migration.js';

const HOSTILE = 'a<b>&"c|d`e';

function plan(): Plan {
  const catalog = aCatalog('3.0.3').withDb(HOSTILE, { with: [aTable('t1'), aTable('t2')] }).withDb('plain', { tables: 1 }).build();
  catalog.databases[0]!.tables.push({ ...aTable('cold'), storagePolicy: 'to_s3' });
  return buildPlan({
    name: 'rep', now: '2026-11-24T08:00:00.000Z',
    source: { catalog, ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/rep', { s3Endpoint: 'http://minio:9000' }) },
    options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 1 << 30, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });
}

/** A state where every step ran for `seconds` one after the other, and the first backup needed a second attempt. */
function finished(p: Plan, seconds = 60): RunState {
  const state = initialState(p, '2026-11-24T09:00:00.000Z');
  let t = Date.parse('2026-11-24T09:00:00.000Z');
  for (const s of p.steps) {
    const st = state.steps[s.id]!;
    st.status = 'done';
    st.startedAt = new Date(t).toISOString();
    t += seconds * 1000;
    st.finishedAt = new Date(t).toISOString();
    if (s.kind === 'backup' || s.kind === 'restore') st.attempt = 1;
  }
  const backup = p.steps.find((s) => s.kind === 'backup')!;
  state.steps[backup.id]!.attempt = 2;
  state.steps[backup.id]!.history = [{ attempt: 1, label: 'x_a1', outcome: 'cancelled by Doris: disk full', at: '2026-11-24T09:00:30.000Z' }];
  return state;
}

/** Every tag opened is closed in order; text holds no raw `<` or `&` outside entities. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const text = svg.replace(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z0-9:-]+="[^"<]*")*)\s*(\/?)>/g, (_m, close: string, name: string, _attrs: string, self: string) => {
    if (close) expect(stack.pop()).toBe(name);
    else if (!self) stack.push(name);
    return '';
  });
  expect(stack).toEqual([]);
  expect(text).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
}

describe('report model', () => {
  it('counts jobs, retries, stages, exclusions and per-database time', () => {
    const p = plan();
    const r: Report = buildReport(p, finished(p), '2026-11-24T12:00:00.000Z');
    const jobs = p.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').length;
    expect(r.status).toBe('done');
    expect(r.jobs).toEqual({ submitted: jobs + 1, retries: 1, failed: 0 });
    expect(r.seconds).toBe(p.steps.length * 60);
    expect(r.stages.map((s) => s.stage)).toEqual(['preflight', 'repository', 'backup', 'restore', 'verify']);
    expect(r.stages.find((s) => s.stage === 'preflight')!.seconds).toBe(60);
    expect(r.databases.map((d) => [d.source, d.retries, d.status])).toEqual([[HOSTILE, 1, 'done'], ['plain', 0, 'done']]);
    expect(r.excluded.map((e) => [e.object, e.kind])).toContainEqual([`${HOSTILE}.cold`, 'storage-policy']);
    expect(r.timeline.find((b) => b.attempts.length)!.attempts).toEqual(['a1: cancelled by Doris: disk full']);
    expect(buildReport(p, undefined, '2026-11-24T12:00:00.000Z').status).toBe('not started');
  });

  it('renders Markdown whose tables cannot be broken by a name, with a well-formed timeline', () => {
    const p = plan();
    const md = reportMarkdown(buildReport(p, finished(p), '2026-11-24T12:00:00.000Z'));
    expect(md).toContain('# Migration report: rep');
    expect(md).toContain('| jobs | ');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
      const lines = block.split('\n').filter(Boolean);
      for (const line of lines) expect(cells(line), `${line}\n--- in ---\n${block}`).toBe(cells(lines[0]!));
    }
    expect(md).not.toContain(HOSTILE);
    const svg = /<svg[\s\S]*<\/svg>/.exec(md)![0];
    assertWellFormed(svg);
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c|d`e');
  });

  it('keeps a timeline of hundreds of databases legible and small', () => {
    const bars = Array.from({ length: 500 }, (_, i) => ({ database: `db${i}`, step: `backup:db${i}:1`, kind: 'backup' as const, start: new Date(Date.UTC(2026, 10, 24, 9, 0, i)).toISOString(), end: new Date(Date.UTC(2026, 10, 24, 10, 0, i)).toISOString(), status: 'done' as const, attempts: [] }));
    const svg = timelineSvg(bars);
    assertWellFormed(svg);
    expect(Number(/height="(\d+)"/.exec(svg)![1])).toBeLessThan(500 * 10);
    expect(svg.length).toBeLessThan(500 * 300);
  });
});

describe('report files', () => {
  let m: Migration;
  afterAll(() => m.dispose());

  it('are written by apply and by verify, name what moved, and hold no secret', async () => {
    m = await demoMigration();
    const applied = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(applied.code, applied.err).toBe(0);
    const md = join(m.dir, 'plans', 'mig.report.md');
    expect(applied.out).toContain(`report: ${md}`);
    const json = JSON.parse(readFileSync(join(m.dir, 'plans', 'mig.report.json'), 'utf8')) as Report;
    expect(json.status).toBe('done');
    expect(json.databases.map((d) => d.source).sort()).toEqual(['analytics', 'crm-eu', 'ops', 'sales']);
    expect(json.totals.bytes).toBeGreaterThan(0);
    expect(json.verification?.differences).toEqual([]);
    const text = readFileSync(md, 'utf8');
    for (const s of ['crm-eu', 'sales', '## Timeline', '<svg', 'source and target match', 'Left out', 'storage-policy'.replace('-', ' ')]) expect(text.toLowerCase()).toContain(s.toLowerCase());
    expect(text + JSON.stringify(json)).not.toContain(MIGRATION_SECRET);

    await m.sandbox.target.execute("INSERT INTO `crm-eu`.`Kunden-Ä` VALUES (998, 'late', 1)");
    const verified = await m.run(['verify', 'plans/mig.yaml']);
    expect(verified.code).toBe(5);
    expect(existsSync(md)).toBe(true);
    const after = readFileSync(md, 'utf8');
    expect(after).toContain('**1 difference(s)**');
    expect(after).toContain('## Differences');
  });
});
