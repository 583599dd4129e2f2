// applyPlan against the simulator: a step that failed while its Doris job was still in flight
// (here: the connection gave out while watching) must be reconciled on the next run, not
// submitted again under a new attempt label.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { DorisClient } from '../../src/doris/client.js';
import { ExitCode, MigrateError } from '../../src/errors.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import type { RunEvent } from '../../src/run/events.js';
import { abortableSleep } from '../../src/cli/commands/apply.js';
import { applyPlan, type RunDeps } from '../../src/run/executor.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor, wrapClient } from '../support/client.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
const clients: DorisClient[] = [];
let stateDir: string | undefined;
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await m?.dispose();
  m = undefined;
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const sleep = abortableSleep;

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

async function setup() {
  m = await demoMigration({ databases: 'ops' });
  const plan = readPlanFile(m.planFile);
  stateDir = mkdtempSync(join(tmpdir(), 'dm-run-'));
  const checkpoint = fileCheckpoint(join(stateDir, 'mig.state.json'));
  const [source, target] = [clientFor(m.sandbox.source), clientFor(m.sandbox.target)];
  clients.push(source, target);
  const events: RunEvent[] = [];
  const deps = (clusters: { source?: DorisClient; target?: DorisClient }, outageMs?: number): RunDeps => ({
    source: clusters.source ?? source,
    target: clusters.target ?? target,
    secrets: readCredentials(plan.repository.settings, m!.env), checkpoint, emit: (e) => events.push(e),
    signal: new AbortController().signal, now: () => new Date(), sleep, pollIntervalMs: 20,
    ...(outageMs !== undefined ? { outageMs } : {}),
  });
  return { m, plan, checkpoint, source, target, events, deps };
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
    const first = await applyPlan(plan, deps(faulty, 0));
    expect(first.result).toBe('failed');
    const failed = Object.entries(first.state.steps).filter(([, s]) => s.status === 'failed');
    expect(failed.map(([id]) => id.split(':')[0])).toEqual([kind.toLowerCase()]);
    expect(failed[0]?.[1].lastError).toMatch(/ECONNRESET/);

    const second = await applyPlan(plan, deps({}), checkpoint.load());
    expect(second.result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    expectEachJobOnce(m);
  }, 30_000);
});
