// The migration report: the model from a plan and its state, the Markdown and the SVG timeline
// (escaped, well formed), and the files apply and verify leave beside the plan.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/schema.js';
import { initialState, type RunState } from '../../src/run/state-model.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import type { Verification } from '../../src/verify/model.js';
import { buildReport, keptVerification, type Report } from '../../src/verify/report-model.js';
import { reportMarkdown } from '../../src/verify/report-markdown.js';
import { timelineSvg } from '../../src/verify/timeline-svg.js';
import { aCatalog, aTable, targetFacts } from '../support/catalog-builder.js';
import { runApply } from '../../src/cli/commands/apply.js';
import { captureIO } from '../support/io.js';
import { demoMigration, MIGRATION_SECRET, type Migration } from '../support/migration.js';

const HOSTILE = 'a<b>&"c|d`e';
/** A backslash before a pipe, and emphasis and link syntax. */
const HOSTILE2 = 'p\\|q*_[z]&amp;';

function plan(): Plan {
  const catalog = aCatalog('3.0.3').withDb(HOSTILE, { with: [aTable('t1'), aTable('t2')] }).withDb('plain', { tables: 1 }).withDb(HOSTILE2, { tables: 1 }).build();
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

/**
 * A GFM table row's cells as cmark-gfm splits them: a pipe right after a backslash is no
 * delimiter (its cell scanner takes the longest match), and that one backslash is then dropped.
 */
function gfmCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of line) {
    if (c === '|' && !cur.endsWith('\\')) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.slice(1, -1).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** What a reader sees in a cell: a whole code span's content taken literally, or text with escapes and entities resolved. */
function shown(cell: string): string {
  const fence = /^`+/.exec(cell)?.[0];
  if (fence && cell.endsWith(fence) && cell.length > 2 * fence.length) {
    const inner = cell.slice(fence.length, -fence.length);
    return inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() ? inner.slice(1, -1) : inner;
  }
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"' };
  return cell.replace(/\\([!-/:-@[-`{-~])|&(lt|gt|amp|quot);/g, (m, p: string | undefined) => p ?? entities[m]!);
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
  expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|#39|#10|#13);)/);
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
    expect(r.databases.map((d) => [d.source, d.retries, d.status])).toEqual([[HOSTILE, 1, 'done'], [HOSTILE2, 0, 'done'], ['plain', 0, 'done']]);
    expect(r.excluded.map((e) => [e.object, e.kind])).toContainEqual([`${HOSTILE}.cold`, 'storage-policy']);
    const retried = r.timeline.find((b) => b.attempts.length)!;
    expect(retried.attempts).toEqual(['a1: cancelled by Doris: disk full']);
    // The failed attempt ran from the step's start until Doris cancelled it.
    expect(retried.failedSpans).toEqual([{ start: retried.start, end: '2026-11-24T09:00:30.000Z', outcome: 'cancelled by Doris: disk full' }]);
    expect(buildReport(p, undefined, '2026-11-24T12:00:00.000Z').status).toBe('not started');
  });

  it('renders Markdown whose tables cannot be broken by a name, with a well-formed timeline', () => {
    const p = plan();
    const md = reportMarkdown(buildReport(p, finished(p), '2026-11-24T12:00:00.000Z'));
    expect(md).toContain('# Migration report: rep');
    expect(md).toContain('| jobs | ');
    // Every table row has as many cells as its header, and each name reads back as it is.
    const blocks = md.split('\n\n').filter((b) => b.startsWith('|'));
    for (const block of blocks) {
      const lines = block.split('\n').filter(Boolean);
      for (const line of lines) expect(gfmCells(line).length, `${line}\n--- in ---\n${block}`).toBe(gfmCells(lines[0]!).length);
    }
    const rows = (header: string) => blocks.find((b) => b.startsWith(header))!.split('\n').slice(2).map((l) => gfmCells(l).map(shown));
    expect(rows('| source | target |').map((c) => c[0])).toEqual(p.databases.map((d) => d.source));
    expect(p.databases.map((d) => d.source)).toEqual(expect.arrayContaining([HOSTILE, HOSTILE2]));
    const leftOut = rows('| object | why |').find((c) => c[0] === `${HOSTILE}.cold`)!;
    expect(leftOut[1]).toBe(p.excluded.find((e) => e.object === `${HOSTILE}.cold`)!.reason);
    expect(md).not.toContain(HOSTILE);
    const svg = /<svg[\s\S]*<\/svg>/.exec(md)![0];
    assertWellFormed(svg);
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c|d`e');
  });

  it('keeps a timeline of hundreds of databases legible and small', () => {
    const bars = Array.from({ length: 500 }, (_, i) => ({ database: `db${i}`, step: `backup:db${i}:1`, kind: 'backup' as const, start: new Date(Date.UTC(2026, 10, 24, 9, 0, i)).toISOString(), end: new Date(Date.UTC(2026, 10, 24, 10, 0, i)).toISOString(), status: 'done' as const, attempts: [], failedSpans: [] }));
    const svg = timelineSvg(bars);
    assertWellFormed(svg);
    // Every row still names its database.
    expect(svg).toContain('>db0<');
    expect(svg).toContain('>db499<');
    expect(Number(/height="(\d+)"/.exec(svg)![1])).toBeLessThan(500 * 10);
    expect(svg.length).toBeLessThan(500 * 300);
  });

  it('keeps a name with line breaks from ending the SVG block in Markdown, and draws failed attempts', () => {
    const bar = { database: 'x\n\ny', step: 'restore:x:1', kind: 'restore' as const, start: '2026-11-24T09:00:00.000Z', end: '2026-11-24T09:10:00.000Z', status: 'done' as const, attempts: ['a1: cancelled'], failedSpans: [{ start: '2026-11-24T09:00:00.000Z', end: '2026-11-24T09:04:00.000Z', outcome: 'cancelled <by> Doris' }] };
    const svg = timelineSvg([bar]);
    assertWellFormed(svg);
    expect(svg).not.toMatch(/\n\s*\n/);
    expect(svg).toContain('x&#10;&#10;y');
    // The failed attempt: a red bar over the first 4 of the step's 10 minutes, its outcome as the tooltip.
    const red = /<rect x="([\d.]+)" y="\d+" width="([\d.]+)"[^>]*fill="#e15759"[^>]*><title>cancelled &lt;by&gt; Doris<\/title>/.exec(svg)!;
    const whole = /<rect x="([\d.]+)" y="\d+" width="([\d.]+)"[^>]*fill="#59a14f"[^>]*><title>/.exec(svg)!;
    expect(red[1]).toBe(whole[1]);
    expect(Number(red[2]) / Number(whole[2])).toBeCloseTo(0.4, 2);
  });
});

describe('the verification a rewritten report keeps', () => {
  const p = plan();
  const state = finished(p); // its last step ends at 09:00 + steps minutes
  const last = new Date(Date.parse('2026-11-24T09:00:00.000Z') + p.steps.length * 60_000);
  const at = (ms: number): Verification => ({ level: 'full', checkedAt: new Date(last.getTime() + ms).toISOString(), databases: 1, tables: 1, views: 0, rows: 1, differences: [] });

  it("keeps an earlier report's verification made after the run's last step, and drops one made before", () => {
    expect(keptVerification(state, at(1000))).toEqual(at(1000));
    expect(keptVerification(state, at(-1000))).toBeUndefined();
    expect(keptVerification(undefined, at(-1000))).toEqual(at(-1000));
  });

  it("prefers the newer of that and the state's own (apply's verify step)", () => {
    const own = { ...at(500), level: 'quick' as const };
    expect(keptVerification({ ...state, verification: own }, at(1000))).toEqual(at(1000));
    expect(keptVerification({ ...state, verification: { ...own, checkedAt: at(2000).checkedAt } }, at(1000))!.level).toBe('quick');
    expect(keptVerification({ ...state, verification: own }, at(-1000))).toEqual(own);
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
    // The timeline also as its own file, linked from the Markdown, and the same picture as inline.
    const svg = readFileSync(join(m.dir, 'plans', 'mig.report.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(text).toContain('](mig.report.svg)');
    expect(text).toContain(svg.trim());

    await m.sandbox.target.execute("INSERT INTO `crm-eu`.`Kunden-Ä` VALUES (998, 'late', 1)");
    const verified = await m.run(['verify', 'plans/mig.yaml']);
    expect(verified.code).toBe(5);
    expect(existsSync(md)).toBe(true);
    const after = readFileSync(md, 'utf8');
    expect(after).toContain('**1 difference**');
    expect(after).toContain('## Differences');
  });
});

describe('the report of a run that fails, then completes, then is verified', () => {
  let m: Migration | undefined;
  afterAll(async () => m?.dispose());
  const lastLine = (out: string) => out.trim().split('\n').at(-1);

  it('shows the failure and the retry, then the finished run, and keeps a verify made after it', async () => {
    m = await demoMigration({ databases: 'sales,analytics' });
    const mig = m;
    const apply = () => mig.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    const md = join(mig.dir, 'plans', 'mig.report.md');
    const json = () => JSON.parse(readFileSync(join(mig.dir, 'plans', 'mig.report.json'), 'utf8')) as Report;
    // Doris cancels the first backup of sales midway (a retry), and the target cannot restore.
    await mig.sandbox.source.execute("ADMIN SIM FAIL JOB sales AT UPLOADING WITH 'upload to s3 failed: connection reset'");
    await mig.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    const failed = await apply();
    expect(failed.code).toBe(1);
    expect(lastLine(failed.out)).toBe(`report: ${md}`);
    let r = json();
    expect(r.status).toBe('failed');
    expect(r.failures.map((f) => f.step)).toEqual(expect.arrayContaining(['restore:sales:1', 'restore:analytics:1']));
    expect(r.failures.find((f) => f.step === 'restore:sales:1')!.error).toContain('replication num');
    // The backup's retry, and the restores' own (Doris cancels them; each tries up to maxAttempts).
    const retries = r.jobs.retries;
    expect(retries).toBe(r.timeline.reduce((n, b) => n + b.failedSpans.length, 0));
    expect(r.timeline.find((b) => b.step === 'backup:sales:1')!.failedSpans.map((f) => f.outcome)).toEqual(['upload to s3 failed: connection reset']);
    let text = readFileSync(md, 'utf8');
    expect(text).toContain('## Failed steps');
    expect(text).toContain('fill="#e15759"');
    expect(text).toContain('not verified yet');

    await mig.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 3');
    const done = await apply();
    expect(done.code, done.out).toBe(0);
    expect(lastLine(done.out)).toBe(`report: ${md}`);
    r = json();
    expect(r.status).toBe('done');
    expect(r.failures).toEqual([]);
    expect(r.jobs.retries).toBeGreaterThanOrEqual(retries);
    expect(r.databases.map((d) => [d.source, d.status])).toEqual([['analytics', 'done'], ['sales', 'done']]);
    expect(r.verification?.level).toBe('quick');

    // verify --level full after the run; an apply with nothing left to do keeps that result.
    expect((await mig.run(['verify', 'plans/mig.yaml', '--level', 'full'])).code).toBe(0);
    expect(json().verification?.level).toBe('full');
    const again = await apply();
    expect(again.code).toBe(0);
    expect(json().verification?.level).toBe('full');
    text = readFileSync(md, 'utf8');
    expect(text).toMatch(/\| verification \| source and target match \(full: /);
    expect(text + JSON.stringify(json())).not.toContain(MIGRATION_SECRET);
  });

  it('is written when apply is interrupted (as by SIGINT), showing the run in progress, and named last', async () => {
    const mig = await demoMigration({ timeScale: 100, databases: 'sales' });
    try {
      const io = captureIO({ cwd: mig.dir, env: mig.env });
      const stop = new AbortController();
      const run = runApply('plans/mig.yaml', { yes: true, pollInterval: '0.05' }, io, stop.signal);
      const until = Date.now() + 20_000;
      while (!io.out().includes('job    backup:sales:1') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      stop.abort();
      expect(await run).toBe(3);
      const md = join(mig.dir, 'plans', 'mig.report.md');
      expect(lastLine(io.out())).toBe(`report: ${md}`);
      const r = JSON.parse(readFileSync(join(mig.dir, 'plans', 'mig.report.json'), 'utf8')) as Report;
      expect(r.status).toBe('in progress');
      expect(r.timeline.find((b) => b.step === 'backup:sales:1')!.status).toBe('running');
      expect(readFileSync(md, 'utf8')).toContain('**in progress**');
    } finally {
      await mig.dispose();
    }
  }, 60_000);
});
