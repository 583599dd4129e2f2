// applyPlan against a demo migration's simulators, for the run tests: the plan, a real client per
// cluster, a state file in a temporary directory, and RunDeps with test defaults that each test
// overrides (a client wrapped to watch, drop or delay statements; the clock; outageMs).
// Calling runHarness() in a test file registers the afterEach that closes and removes it all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { abortableSleep } from '../../src/cli/commands/apply.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { DorisClient } from '../../src/doris/client.js';
import type { Plan } from '../../src/plan/schema.js';
import { fileCheckpoint, type CheckpointStore } from '../../src/run/checkpoint.js';
import type { RunEvent } from '../../src/run/events.js';
import type { RunDeps } from '../../src/run/executor.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor } from './client.js';
import { demoMigration, type Migration, type MigrationOptions } from './migration.js';

export interface RunHarness {
  m: Migration;
  plan: Plan;
  source: DorisClient;
  target: DorisClient;
  checkpoint: CheckpointStore;
  secrets: RunDeps['secrets'];
  /** Every event the runs emitted, in order. */
  events: RunEvent[];
  /** The run's dependencies: the real clients, the state file, polls every `pollIntervalMs`, then `over`. */
  deps: (over?: Partial<RunDeps>) => RunDeps;
}

export function runHarness(pollIntervalMs: number): (opts: MigrationOptions) => Promise<RunHarness> {
  let m: Migration | undefined;
  let stateDir: string | undefined;
  const clients: DorisClient[] = [];
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()));
    await m?.dispose();
    m = undefined;
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    stateDir = undefined;
  });
  return async (opts) => {
    m = await demoMigration(opts);
    const plan = readPlanFile(m.planFile);
    stateDir = mkdtempSync(join(tmpdir(), 'dm-run-'));
    const checkpoint = fileCheckpoint(join(stateDir, 'mig.state.json'));
    const [source, target] = [clientFor(m.sandbox.source), clientFor(m.sandbox.target)];
    clients.push(source, target);
    const secrets = readCredentials(plan.repository.settings, m.env);
    const events: RunEvent[] = [];
    const deps = (over: Partial<RunDeps> = {}): RunDeps => ({
      source, target, secrets, checkpoint, emit: (e) => events.push(e), signal: new AbortController().signal, now: () => new Date(), sleep: abortableSleep, pollIntervalMs, ...over,
    });
    return { m, plan, source, target, checkpoint, secrets, events, deps };
  };
}
