// applyPlan against the simulator: a step that failed while its Doris job was still in flight
// (here: the connection gave out while watching) must be reconciled on the next run, not
// submitted again under a new attempt label.
import { describe, expect, it } from 'vitest';
import type { DorisClient } from '../../src/doris/client.js';
import { ExitCode, MigrateError } from '../../src/errors.js';
import { applyPlan } from '../../src/run/executor.js';
import { wrapClient } from '../support/client.js';
import type { Migration } from '../support/migration.js';
import { runHarness } from '../support/run-harness.js';

const harness = runHarness(20);
const setup = () => harness({ databases: 'ops' });

/** A client whose connection gives out (as the pool does after its retries) on the first `times` polls of SHOW `kind` after a `kind` statement was sent. */
function dropsWhileWatching(inner: DorisClient, kind: 'BACKUP' | 'RESTORE', times = 1): DorisClient {
  let sent = false;
  let dropped = 0;
  return wrapClient(inner, async (sql) => {
    if (sql.startsWith(`${kind} `)) sent = true;
    else if (sent && dropped < times && new RegExp(`^SHOW (BRIEF )?${kind} `).test(sql)) {
      dropped++;
      throw new MigrateError('connection-failed', `cannot run SHOW ${kind} on ${inner.address} after 5 attempts: ECONNRESET`, ExitCode.StepFailed);
    }
    return inner.query(sql);
  });
}

/** Every job was submitted once: one BACKUP per label (first attempts only), one RESTORE per label. */
function expectEachJobOnce(m: Migration): void {
  for (const [sim, statement] of [[m.sandbox.source, 'BACKUP'], [m.sandbox.target, 'RESTORE']] as const) {
    const labels = sim.jobs.history().filter((h) => h.statement === statement).map((h) => h.label);
    expect(labels.length, statement).toBeGreaterThan(0);
    expect(labels.every((l) => l.endsWith('_a1')), labels.join(' ')).toBe(true);
    expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
  }
}

describe('applyPlan', () => {
  it('waits out a connection lost while watching, within one run', async () => {
    const { m, plan, source, events, deps } = await setup();
    const result = await applyPlan(plan, deps({ source: dropsWhileWatching(source, 'BACKUP', 3) }));
    expect(result.result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    expectEachJobOnce(m);
  }, 30_000);

  it.each(['BACKUP', 'RESTORE'] as const)('adopts the %s job of a step that failed while watching, instead of submitting a new attempt', async (kind) => {
    const { m, plan, checkpoint, source, target, events, deps } = await setup();
    // No patience for outages here: the step fails, and the next run must pick its job up.
    const faulty = kind === 'BACKUP' ? { source: dropsWhileWatching(source, kind) } : { target: dropsWhileWatching(target, kind) };
    const first = await applyPlan(plan, deps({ ...faulty, outageMs: 0 }));
    expect(first.result).toBe('failed');
    const failed = Object.entries(first.state.steps).filter(([, s]) => s.status === 'failed');
    expect(failed.map(([id]) => id.split(':')[0])).toEqual([kind.toLowerCase()]);
    expect(failed[0]?.[1].lastError).toMatch(/ECONNRESET/);

    const second = await applyPlan(plan, deps(), checkpoint.load());
    expect(second.result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    expectEachJobOnce(m);
  }, 30_000);
});
