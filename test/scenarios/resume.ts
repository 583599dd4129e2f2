// Interruptions: apply killed with SIGKILL while a job runs, and a job Doris cancels midway.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { expect } from 'vitest';
import { quoteIdent } from '../../src/doris/quote.js';
import { exitOf } from '../support/cli.js';
import { planned, rowCount, type Scenario, type ScenarioContext } from './harness.js';

const twoDatabases = (a: string, b: string) => `
CREATE DATABASE ${a};
CREATE TABLE ${a}.orders (id BIGINT NOT NULL, day DATE NOT NULL, amount DECIMAL(10, 2))
DUPLICATE KEY(id, day)
PARTITION BY RANGE(day) (
  PARTITION p1 VALUES LESS THAN ("2025-01-01"),
  PARTITION p2 VALUES LESS THAN ("2026-01-01")
)
DISTRIBUTED BY HASH(id) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO ${a}.orders VALUES (1, '2024-05-01', 10.5), (2, '2025-05-01', 20), (3, '2025-06-01', 7.25);
CREATE TABLE ${a}.customers (id BIGINT NOT NULL, name VARCHAR(32)) UNIQUE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO ${a}.customers VALUES (1, 'Ada'), (2, 'Grace');
CREATE DATABASE ${b};
CREATE TABLE ${b}.events (ts DATETIME NOT NULL, kind VARCHAR(16)) DUPLICATE KEY(ts)
DISTRIBUTED BY HASH(ts) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO ${b}.events VALUES ('2026-01-01 00:00:00', 'a'), ('2026-01-02 00:00:00', 'b');
`;

/** Resolves once the child prints a line matching `pattern`; rejects if it exits first. */
function untilLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) resolve(out);
    });
    child.on('exit', (code) => reject(new Error(`apply exited ${code} before printing ${pattern}:\n${out}`)));
  });
}

/** SHOW BACKUP / SHOW RESTORE rows of a database: label and state of every job Doris still lists. */
async function jobs(ctx: ScenarioContext, kind: 'BACKUP' | 'RESTORE', db: string): Promise<{ label: string; state: string }[]> {
  const side = kind === 'BACKUP' ? 'source' : 'target';
  const rows = await ctx.query(side, `SHOW ${kind} FROM ${quoteIdent(db)}`);
  return rows.map((r) => ({ label: String(r.SnapshotName ?? r.Label), state: String(r.State) }));
}

export const resumeAfterKill: Scenario = {
  name: 'resume-after-kill',
  proves: 'apply killed (SIGKILL) while a job runs resumes: in-flight jobs adopted, finished steps not redone, each job submitted once',
  databases: ['sc_resume_a', 'sc_resume_b'],
  async run(ctx) {
    await ctx.pair.seed(twoDatabases('sc_resume_a', 'sc_resume_b'));
    await planned(ctx, 'resume', ['--databases', 'sc_resume_a,sc_resume_b']);
    const child = ctx.spawnApply('resume');
    await untilLine(child, / job {4}backup:/);
    child.kill('SIGKILL');
    await exitOf(child);

    const before = ctx.state('resume');
    const inFlight = Object.entries(before.steps).filter(([, s]) => s.status === 'running' || s.status === 'submitting').map(([id]) => id);
    const doneBefore = Object.entries(before.steps).filter(([, s]) => s.status === 'done').map(([id]) => id);
    expect(inFlight.length, 'a job was in flight when apply died').toBeGreaterThan(0);

    const resumed = await ctx.apply('resume');
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`resuming resume: ${doneBefore.length}/\\d+ steps done`));
    // A job in flight is adopted; a setup step caught mid-way (e.g. the repository, which runs
    // beside the first backups) is simply checked again: it is idempotent and sends no job.
    for (const id of inFlight) expect(resumed.out).toContain(`${/^(backup|restore):/.test(id) ? 'adopt' : 'start'}  ${id}`);
    for (const id of doneBefore) expect(resumed.out).not.toMatch(new RegExp(`(start|adopt) {2}${id} `));

    for (const db of ['sc_resume_a', 'sc_resume_b']) {
      for (const kind of ['BACKUP', 'RESTORE'] as const) {
        const list = await jobs(ctx, kind, db);
        expect(list.length, `${kind} jobs of ${db}`).toBeGreaterThan(0);
        expect(new Set(list.map((j) => j.label)).size, `${kind} of ${db} submitted once per label`).toBe(list.length);
        expect(list.every((j) => j.state === 'FINISHED'), JSON.stringify(list)).toBe(true);
      }
    }
    const verified = await ctx.verify('resume');
    expect(verified.code, verified.out).toBe(0);
  },
};

export const retryUnderNewLabel: Scenario = {
  name: 'retry-under-new-label',
  proves: 'a backup Doris cancels midway is retried under the next attempt label and the migration finishes',
  simulatorOnly: 'the failure is injected with ADMIN SIM FAIL JOB, which real Doris does not have',
  databases: ['sc_retry', 'sc_retry_b'],
  async run(ctx) {
    await ctx.pair.seed(twoDatabases('sc_retry', 'sc_retry_b'));
    await planned(ctx, 'retry', ['--databases', 'sc_retry']);
    await ctx.pair.exec('source', "ADMIN SIM FAIL JOB sc_retry AT UPLOADING WITH 'upload to s3 failed: connection reset'");
    const applied = await ctx.apply('retry');
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toMatch(/retry {2}backup:sc_retry:1: upload to s3 failed: connection reset; next label \S+_a2/);
    const backups = await jobs(ctx, 'BACKUP', 'sc_retry');
    expect(backups.map((j) => `${j.label.slice(-3)} ${j.state}`)).toEqual(['_a1 CANCELLED', '_a2 FINISHED']);
    expect(await rowCount(ctx, 'target', 'sc_retry.orders')).toBe(3);
    expect((await ctx.verify('retry')).code).toBe(0);
  },
};
