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
import { applyPlan, type RunDeps } from '../../src/run/executor.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor } from '../support/client.js';
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

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** A client whose connection gives out (as the pool does after its retries) on the first poll of SHOW `kind` after a `kind` statement was sent. */
function dropsWhileWatching(inner: DorisClient, kind: 'BACKUP' | 'RESTORE'): DorisClient {
  let sent = false;
  let dropped = false;
  return {
    address: inner.address,
    get roundTrips() {
      return inner.roundTrips;
    },
    async query(sql) {
      if (sql.startsWith(`${kind} `)) sent = true;
      else if (sent && !dropped && sql.startsWith(`SHOW ${kind} `)) {
        dropped = true;
        throw new MigrateError('connection-failed', `cannot run SHOW ${kind} on ${inner.address} after 5 attempts: ECONNRESET`, ExitCode.StepFailed);
      }
      return inner.query(sql);
    },
    close: () => inner.close(),
  };
}

describe('applyPlan', () => {
  it.each(['BACKUP', 'RESTORE'] as const)('adopts the %s job of a step that failed while watching, instead of submitting a new attempt', async (kind) => {
    m = await demoMigration({ databases: 'ops' });
    const plan = readPlanFile(m.planFile);
    stateDir = mkdtempSync(join(tmpdir(), 'dm-run-'));
    const checkpoint = fileCheckpoint(join(stateDir, 'mig.state.json'));
    const [source, target] = [clientFor(m.sandbox.source), clientFor(m.sandbox.target)];
    clients.push(source, target);
    const events: RunEvent[] = [];
    const deps = (faulty: boolean): RunDeps => ({
      source: faulty && kind === 'BACKUP' ? dropsWhileWatching(source, kind) : source,
      target: faulty && kind === 'RESTORE' ? dropsWhileWatching(target, kind) : target,
      secrets: readCredentials(plan.repository.settings, m!.env), checkpoint, emit: (e) => events.push(e),
      signal: new AbortController().signal, now: () => new Date(), sleep, pollIntervalMs: 20,
    });

    const first = await applyPlan(plan, deps(true));
    expect(first.result).toBe('failed');
    const failed = Object.entries(first.state.steps).filter(([, s]) => s.status === 'failed');
    expect(failed.map(([id]) => id.split(':')[0])).toEqual([kind.toLowerCase()]);
    expect(failed[0]?.[1].lastError).toMatch(/ECONNRESET/);

    const second = await applyPlan(plan, deps(false), checkpoint.load());
    expect(second.result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    // Every job was submitted once: one BACKUP per label (first attempts only), one RESTORE per label.
    for (const [sim, statement] of [[m.sandbox.source, 'BACKUP'], [m.sandbox.target, 'RESTORE']] as const) {
      const labels = sim.jobs.history().filter((h) => h.statement === statement).map((h) => h.label);
      expect(labels.length, statement).toBeGreaterThan(0);
      expect(labels.every((l) => l.endsWith('_a1')), labels.join(' ')).toBe(true);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
  }, 30_000);
});
