// The trail of apply: every event of every run appended to plans/<name>.log as JSON lines, the
// same lines on stdout with --json, never a secret; and a summary that tells the real outcome.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoMigration, MIGRATION_SECRET, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

const lines = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('apply trail', () => {
  it('--json writes the events to stdout and the log holds the same lines, with who ran what and how it ended', async () => {
    m = await demoMigration({ databases: 'analytics' });
    const r = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes', '--json']);
    expect(r.code, r.err).toBe(0);
    const events = lines(r.out);
    const log = readFileSync(join(m.dir, 'plans', 'mig.log'), 'utf8');
    expect(log).toBe(r.out);
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('apply-started');
    expect(kinds.at(-1)).toBe('apply-ended');
    for (const kind of ['run-started', 'step-started', 'job-state', 'step-finished', 'run-finished']) expect(kinds).toContain(kind);
    for (const e of events) expect(typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time))).toBe(true);
    const plan = readFileSync(join(m.dir, 'plans', 'mig.yaml'), 'utf8');
    expect(events[0]).toMatchObject({ plan: 'mig', tool: expect.any(String) as unknown, operator: expect.any(String) as unknown, host: expect.any(String) as unknown });
    expect(plan).toContain(String(events[0]!.fingerprint));
    expect(events.at(-1)).toMatchObject({ result: 'done', exitCode: 0, report: join(m.dir, 'plans', 'mig.report.md') });
    const jobStates = events.filter((e) => e.kind === 'job-state');
    expect(jobStates[0]).toMatchObject({ step: expect.stringMatching(/^(backup|restore):/) as unknown, label: expect.any(String) as unknown, state: expect.any(String) as unknown });
    // The summary is for a person: on stderr with --json, ending with the report.
    expect(r.err).toContain('✔ done');
    expect(r.err.trim().split('\n').at(-1)).toBe(`report: ${join(m.dir, 'plans', 'mig.report.md')}`);
    expect(log).not.toContain(MIGRATION_SECRET);
    // The report names what was approved and who ran it, from the trail.
    const report = JSON.parse(readFileSync(join(m.dir, 'plans', 'mig.report.json'), 'utf8')) as { fingerprint: string; operator: string; host: string; runs: unknown[] };
    expect(report).toMatchObject({ fingerprint: events[0]!.fingerprint, operator: events[0]!.operator, host: events[0]!.host });
    expect(report.runs).toHaveLength(1);
    expect(readFileSync(join(m.dir, 'plans', 'mig.report.md'), 'utf8')).toContain(`| plan fingerprint | \`${String(events[0]!.fingerprint)}\` |`);
  });

  it('a failed run ends under ✖ and its log keeps the error; the next run appends to the same log', async () => {
    m = await demoMigration({ databases: 'analytics' });
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    const failed = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(failed.code).toBe(1);
    const summary = failed.out.slice(failed.out.lastIndexOf('✖'));
    expect(summary).toMatch(/^✖ failed/);
    expect(failed.out).not.toContain('✔');
    expect(summary).toContain('failed: restore:analytics:1');
    expect(summary).toContain('verification: not run');
    const first = lines(readFileSync(join(m.dir, 'plans', 'mig.log'), 'utf8'));
    expect(first.find((e) => e.kind === 'step-failed')).toMatchObject({ step: 'restore:analytics:1', error: expect.stringContaining('replication num should be less than the number of available backends') as unknown });
    expect(first.at(-1)).toMatchObject({ kind: 'apply-ended', result: 'failed', exitCode: 1 });
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 3');
    const later = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(later.code, later.out).toBe(0);
    expect(later.out).toContain('✔ done');
    expect(later.out).toMatch(/verification: match \(\d+ tables?/);
    const all = lines(readFileSync(join(m.dir, 'plans', 'mig.log'), 'utf8'));
    expect(all.filter((e) => e.kind === 'apply-started')).toHaveLength(2);
    expect(all.at(-1)).toMatchObject({ kind: 'apply-ended', result: 'done' });
    expect(JSON.stringify(all)).not.toContain(MIGRATION_SECRET);
  });
});
