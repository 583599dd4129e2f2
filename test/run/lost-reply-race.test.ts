// A BACKUP whose reply was lost, and the FE not listing its job yet at the first look (it is
// still registering it): apply must look again rather than send the statement a second time, and
// must not then take the job it made for another migration's (the second BACKUP would be refused
// as busy, and the job listed after that would have counted as not ours).
import { describe, expect, it } from 'vitest';
import { LostReplyError } from '../../src/doris/client.js';
import { applyPlan } from '../../src/run/executor.js';
import { wrapClient } from '../support/client.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(20);

describe('a BACKUP whose reply was lost', () => {
  it('is not sent again while its job is not listed yet, and is adopted once it is', async () => {
    const { m, plan, source, events, deps } = await harness({ databases: 'ops' });
    const backups: string[] = [];
    let hideJobs = 0;
    const racing = wrapClient(source, async (sql) => {
      if (sql.startsWith('BACKUP SNAPSHOT')) {
        backups.push(sql);
        const rows = await source.query(sql);
        if (backups.length > 1) return rows;
        hideJobs = 1; // the FE's next answer about backups does not list it yet
        throw new LostReplyError(source.address, 'BACKUP', 'ECONNRESET', new Error('ECONNRESET'));
      }
      if (hideJobs > 0 && sql.startsWith('SHOW BACKUP')) {
        hideJobs--;
        return [];
      }
      return source.query(sql);
    });
    const { result } = await applyPlan(plan, deps({ source: racing }));
    expect(result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    expect(backups).toHaveLength(1);
    const submitted = m.sandbox.source.jobs.history().filter((h) => h.statement === 'BACKUP' && h.outcome === 'submitted').map((h) => h.label);
    expect(submitted).toEqual([expect.stringMatching(/_a1$/)]);
  }, 60_000);
});
