// A repository that vanished between its step and the jobs (DROP REPOSITORY, an FE that lost it)
// is made again at the plan's location, with a line saying so, and the run completes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { DorisClient } from '../../src/doris/client.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import type { RunEvent } from '../../src/run/events.js';
import { applyPlan } from '../../src/run/executor.js';
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
    m = await demoMigration({ databases: 'ops' });
    const mig = m;
    const plan = readPlanFile(mig.planFile);
    stateDir = mkdtempSync(join(tmpdir(), 'dm-repo-'));
    const [source, target] = [clientFor(mig.sandbox.source), clientFor(mig.sandbox.target)];
    clients.push(source, target);
    const statement = side === 'source' ? /^BACKUP SNAPSHOT/ : /^RESTORE SNAPSHOT/;
    const dropped = onceBefore(side === 'source' ? source : target, statement, () => mig.sandbox[side].execute(`DROP REPOSITORY ${plan.repository.name}`));
    const events: RunEvent[] = [];
    const { result, state } = await applyPlan(plan, {
      source: side === 'source' ? dropped : source, target: side === 'target' ? dropped : target, secrets: readCredentials(plan.repository.settings, mig.env),
      checkpoint: fileCheckpoint(join(stateDir, 'mig.state.json')), emit: (e) => events.push(e), signal: new AbortController().signal, now: () => new Date(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)), pollIntervalMs: 5,
    });
    expect(result, JSON.stringify(events.filter((e) => e.kind === 'step-failed'))).toBe('done');
    const line = events.find((e) => e.kind === 'step-retry');
    expect(line).toMatchObject({ reason: `repository doris_migrate was gone from the ${side}: created it again at ${plan.repository.settings.location}` });
    // The attempt was not used up: the job ran under its first label.
    for (const s of Object.values(state.steps)) if (s.label) expect(s.label).toMatch(/_a1$/);
  }, 60_000);
});
