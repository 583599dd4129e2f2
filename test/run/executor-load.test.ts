// What a job costs the FE: a check before submitting (the label may have a job or files from a
// run that died), then one statement per poll while it runs; SHOW SNAPSHOT (a repository listing)
// only in that first check and once the backup finished.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { DorisClient } from '../../src/doris/client.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { applyPlan } from '../../src/run/executor.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor, wrapClient } from '../support/client.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
let dir: string | undefined;
const clients: DorisClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await m?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A real client that also keeps every statement it sends, in order. */
function recording(inner: DorisClient, into: string[]): DorisClient {
  return wrapClient(inner, (sql) => (into.push(sql), inner.query(sql)));
}

it('checks, submits, then watches a job with one statement per poll', async () => {
  m = await demoMigration({ databases: 'sales' });
  const plan = readPlanFile(m.planFile);
  dir = mkdtempSync(join(tmpdir(), 'dm-load-'));
  const sent = { source: [] as string[], target: [] as string[] };
  const [source, target] = [clientFor(m.sandbox.source), clientFor(m.sandbox.target)];
  clients.push(source, target);
  const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
  const { result } = await applyPlan(plan, {
    source: recording(source, sent.source), target: recording(target, sent.target),
    secrets: readCredentials(plan.repository.settings, m.env), checkpoint: fileCheckpoint(join(dir, 's.json')),
    emit: () => undefined, signal: new AbortController().signal, now: () => new Date(), sleep, pollIntervalMs: 20,
  });
  expect(result).toBe('done');
  const backups = plan.steps.filter((s) => s.kind === 'backup');
  expect(backups.length).toBeGreaterThan(0);
  // Statements about one backup, in order: SHOW BACKUP (the jobs already carrying the label, at
  // the intent), SHOW BACKUP + SHOW SNAPSHOT, BACKUP, SHOW BACKUP per poll, and SHOW BACKUP +
  // SHOW SNAPSHOT once it finished.
  expect(backups).toHaveLength(1);
  const aboutBackups = sent.source.filter((q) => /^(BACKUP|SHOW BACKUP|SHOW SNAPSHOT)\b/.test(q)).map((q) => q.split(' ').slice(0, 2).join(' '));
  expect(aboutBackups.slice(0, 4)).toEqual(['SHOW BACKUP', 'SHOW BACKUP', 'SHOW SNAPSHOT', 'BACKUP SNAPSHOT']);
  expect(aboutBackups.slice(-2)).toEqual(['SHOW BACKUP', 'SHOW SNAPSHOT']);
  const polls = aboutBackups.slice(4, -2);
  expect(polls.length).toBeGreaterThan(0);
  expect(new Set(polls)).toEqual(new Set(['SHOW BACKUP']));
  // Restores: the earlier jobs under the label, the check, the RESTORE, then polls by SHOW BRIEF
  // RESTORE (the simulated 2.1 has it: no per-table RestoreObjs in every answer).
  const aboutRestores = sent.target.filter((q) => /^(RESTORE|SHOW RESTORE|SHOW BRIEF RESTORE)\b/.test(q)).map((q) => q.split(' ').slice(0, q.startsWith('SHOW BRIEF') ? 3 : 2).join(' '));
  expect(aboutRestores.slice(0, 3)).toEqual(['SHOW RESTORE', 'SHOW BRIEF RESTORE', 'RESTORE SNAPSHOT']);
  expect(new Set(aboutRestores.slice(3))).toEqual(new Set(['SHOW BRIEF RESTORE']));
}, 60_000);
