// Every wait of a job step ends: a job past its Doris timeout plus a margin, a FINISHED backup
// whose snapshot the repository never lists, a cluster unreachable past outageMs. Each ends the
// step with a named error, exit 1 (`failed`), and the attempt stays in flight for the next run.
import { describe, expect, it } from 'vitest';
import type { DorisClient } from '../../src/doris/client.js';
import { stepStatements } from '../../src/plan/statements.js';
import { applyPlan } from '../../src/run/executor.js';
import { wrapClient } from '../support/client.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(5);
const setup = () => harness({ databases: 'ops' });

/** A client that calls `hook` once, after the first reply to a statement matching `when` whose rows satisfy `rows`. */
function onceAfter(inner: DorisClient, when: RegExp, rows: (r: Record<string, unknown>[]) => boolean, hook: () => Promise<void>): DorisClient {
  let done = false;
  return wrapClient(inner, async (sql) => {
    const result = await inner.query(sql);
    if (!done && when.test(sql) && rows(result)) {
      done = true;
      await hook();
    }
    return result;
  });
}

/** The one failed step: its id, error and whether its attempt stays in flight. */
function failedStep(state: { steps: Record<string, { status: string; lastError?: string; inFlight?: string }> }): [string, { lastError: string; inFlight?: string }] {
  const failed = Object.entries(state.steps).filter(([, s]) => s.status === 'failed');
  expect(failed).toHaveLength(1);
  const [id, s] = failed[0]!;
  return [id, { lastError: s.lastError ?? '', ...(s.inFlight ? { inFlight: s.inFlight } : {}) }];
}

describe('bounded waits', () => {
  it('a job past its Doris timeout plus the margin', async () => {
    const { m, plan, deps } = await setup();
    // The source's clock stands still, so its backup never ends (nor times out on Doris); our clock runs an hour per look.
    await m.sandbox.source.execute('ADMIN SIM PAUSE CLOCK');
    let t = Date.now();
    const { result, state } = await applyPlan(plan, deps({ now: () => new Date((t += 3_600_000)) }));
    expect(result).toBe('failed');
    const [id, s] = failedStep(state);
    expect(id).toMatch(/^backup:/);
    expect(s.lastError).toMatch(/^BACKUP \S+_a1 of ops has waited \d+ min for its job \(\w+\), past its Doris timeout of 86400 s plus 144 min: look at SHOW BACKUP FROM ops on the source/);
    expect(s.inFlight).toBe('running');
  }, 60_000);

  it('a FINISHED backup whose snapshot the repository never lists', async () => {
    const { m, plan, secrets, source, deps } = await setup();
    // Once the backup is FINISHED, someone points the source's repository elsewhere.
    const repoStep = plan.steps.find((s) => s.kind === 'create-repository' && s.cluster === 'source')!;
    const [create] = stepStatements(plan, repoStep, { secrets });
    const moved = onceAfter(source, /^SHOW BACKUP/, (rows) => rows.some((r) => r.State === 'FINISHED'), async () => {
      await m.sandbox.source.execute(`DROP REPOSITORY ${plan.repository.name}`);
      await m.sandbox.source.execute(create!.replace(plan.repository.settings.location, `${plan.repository.settings.location}-elsewhere`));
    });
    const { result, state } = await applyPlan(plan, deps({ source: moved }));
    expect(result).toBe('failed');
    const [, s] = failedStep(state);
    expect(s.lastError).toMatch(/^backup \S+_a1 of ops is FINISHED in SHOW BACKUP, but SHOW SNAPSHOT ON doris_migrate has not listed it after 30 checks/);
    expect(s.inFlight).toBe('running');
  }, 60_000);

  it('a cluster unreachable past outageMs', async () => {
    const { m, plan, target, deps } = await setup();
    const gone = onceAfter(target, /^SHOW RESTORE/, () => true, async () => {
      await m.sandbox.target.execute('ADMIN SIM REFUSE CONNECTIONS FOR 600');
      await m.sandbox.target.execute('ADMIN SIM DROP CONNECTIONS');
    });
    const { result, state } = await applyPlan(plan, deps({ target: gone, outageMs: 1 }));
    expect(result).toBe('failed');
    const [id, s] = failedStep(state);
    expect(id).toMatch(/^restore:/);
    expect(s.lastError).toMatch(/^the target 127\.0\.0\.1:\d+ has been unreachable for 0 min while watching RESTORE \S+ of ops; the job goes on without us: run apply again once the cluster is back \(last error: cannot run SHOW BRIEF RESTORE/);
    expect(s.inFlight).toBeDefined();
  }, 60_000);
});
