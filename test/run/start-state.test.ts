// A run may start from a state that is not the one on disk: the run's record in the repository
// (newer than an old local file), or a state that --accept-plan-changes changed in memory. The
// first durable write must then be the whole state, not journal lines for a few steps on top of
// the old snapshot: a crash right after would bring the old step states back (a restore already
// done reads as pending, and is sent again once its job has left Doris's history).
import { describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { applyPlan } from '../../src/run/executor.js';
import { initialState } from '../../src/run/state-model.js';
import { wrapClient } from '../support/client.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(20);

describe('the state a run starts from', () => {
  it('is on disk whole before the first statement that changes a cluster', async () => {
    const { plan, source, checkpoint, deps } = await harness({ databases: 'ops' });
    // The old local file: nothing done.
    await checkpoint.save(initialState(plan, '2026-12-04T09:00:00.000Z'));
    // The newer record the run starts from: the last step already done (on another machine).
    const newer = initialState(plan, '2026-12-04T09:00:00.000Z');
    const last = plan.steps.at(-1)!;
    Object.assign(newer.steps[last.id]!, { status: 'done', attempt: 1, finishedAt: '2026-12-04T10:00:00.000Z' });
    newer.updatedAt = '2026-12-04T10:00:00.000Z';

    const stop = new AbortController();
    let onDisk: string | undefined;
    const watching = wrapClient(source, (sql) => {
      if (onDisk === undefined && /^CREATE REPOSITORY/.test(sql)) {
        // What a crash at this instant leaves: a fresh store reads the snapshot and journal.
        onDisk = fileCheckpoint(checkpoint.path).load()?.steps[last.id]?.status;
        stop.abort();
      }
      return source.query(sql);
    });
    await applyPlan(plan, deps({ source: watching, signal: stop.signal }), newer);
    expect(onDisk).toBe('done');
  }, 60_000);
});
