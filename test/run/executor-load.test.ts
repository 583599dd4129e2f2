// What a job costs the FE: a check before submitting (the label may have a job or files from a
// run that died), then one statement per poll while it runs; SHOW SNAPSHOT (a repository listing)
// only in that first check and once the backup finished.
import { expect, it } from 'vitest';
import type { DorisClient } from '../../src/doris/client.js';
import { applyPlan } from '../../src/run/executor.js';
import { wrapClient } from '../support/client.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(20);

/** A real client that also keeps every statement it sends, in order. */
function recording(inner: DorisClient, into: string[]): DorisClient {
  return wrapClient(inner, (sql) => (into.push(sql), inner.query(sql)));
}

it('checks, submits, then watches a job with one statement per poll', async () => {
  const { plan, source, target, deps } = await harness({ databases: 'sales' });
  const sent = { source: [] as string[], target: [] as string[] };
  const { result } = await applyPlan(plan, deps({ source: recording(source, sent.source), target: recording(target, sent.target) }));
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
