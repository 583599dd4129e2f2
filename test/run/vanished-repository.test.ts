// A repository that vanished between its step and the jobs (DROP REPOSITORY, an FE that lost it)
// is made again at the plan's location, with a line saying so, and the run completes.
import { describe, expect, it } from 'vitest';
import type { DorisClient } from '../../src/doris/client.js';
import { applyPlan } from '../../src/run/executor.js';
import { wrapClient } from '../support/client.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(5);

/** A client that runs `hook` once, just before the first statement matching `when` goes out. */
function onceBefore(inner: DorisClient, when: RegExp, hook: () => Promise<void>): DorisClient {
  let done = false;
  return wrapClient(inner, async (sql) => {
    if (!done && when.test(sql)) {
      done = true;
      await hook();
    }
    return inner.query(sql);
  });
}

describe('a vanished repository', () => {
  it.each(['source', 'target'] as const)('on the %s is created again at the plan location, and the run completes', async (side) => {
    const { m, plan, source, target, events, deps } = await harness({ databases: 'ops' });
    const statement = side === 'source' ? /^BACKUP SNAPSHOT/ : /^RESTORE SNAPSHOT/;
    const dropped = onceBefore(side === 'source' ? source : target, statement, () => m.sandbox[side].execute(`DROP REPOSITORY ${plan.repository.name}`));
    const { result, state } = await applyPlan(plan, deps({ [side]: dropped }));
    expect(result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    const line = events.find((e) => e.kind === 'step-retry');
    expect(line).toMatchObject({ reason: `repository doris_migrate was gone from the ${side}: created it again at ${plan.repository.settings.location}` });
    // The attempt was not used up: the job ran under its first label.
    for (const s of Object.values(state.steps)) if (s.label) expect(s.label).toMatch(/_a1$/);
  }, 60_000);
});
