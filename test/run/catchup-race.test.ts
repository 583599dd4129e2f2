// A write that lands while a backup runs is never lost: one just before the BACKUP is sent (after
// the versions were read) and one just after the snapshot was taken. Where the tool reads the
// snapshot's own record from the repository, the catch-up copies exactly the partition written
// after the snapshot; where it cannot, it recorded the versions read before the BACKUP and copies
// both partitions again. Either way the target ends up holding every write.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { statePath } from '../../src/cli/run-context.js';
import type { DorisClient } from '../../src/doris/client.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { applyPlan } from '../../src/run/executor.js';
import { openRepository } from '../../src/storage/backend.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor, wrapClient } from '../support/client.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
const clients: DorisClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await m?.dispose();
});

const AFTER_SNAPSHOT = new Set(['UPLOAD_SNAPSHOT', 'UPLOADING', 'SAVE_META', 'UPLOAD_INFO', 'FINISHED']);

/** The source client of apply, writing to the source just before the BACKUP goes out and once it sees the snapshot taken. */
function writingAround(inner: DorisClient): DorisClient {
  let beforeSent = false;
  let afterSnapshot = false;
  return wrapClient(inner, async (sql) => {
    if (!beforeSent && sql.startsWith('BACKUP SNAPSHOT')) {
      beforeSent = true;
      await inner.query("INSERT INTO sales.orders VALUES (9001, '2024-06-01', 1, 1.00)");
    }
    const rows = await inner.query(sql);
    if (beforeSent && !afterSnapshot && sql.startsWith('SHOW BACKUP') && rows.some((r) => AFTER_SNAPSHOT.has(String(r.State)))) {
      afterSnapshot = true;
      await inner.query("INSERT INTO sales.orders VALUES (9002, '2026-06-01', 1, 2.00)");
    }
    return rows;
  });
}

async function migrateWithWrites(withRepository: boolean): Promise<Migration> {
  const mig = await demoMigration({ databases: 'sales' });
  const plan = readPlanFile(mig.planFile);
  const [source, target] = [clientFor(mig.sandbox.source), clientFor(mig.sandbox.target)];
  clients.push(source, target);
  const secrets = readCredentials(plan.repository.settings, mig.env);
  const { result } = await applyPlan(plan, {
    source: writingAround(source), target, secrets, checkpoint: fileCheckpoint(statePath(mig.planFile)),
    ...(withRepository ? { repository: await openRepository(plan.repository.settings, secrets) } : {}),
    emit: () => undefined, signal: new AbortController().signal, now: () => new Date(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)), pollIntervalMs: 20,
  });
  // Only its verify step fails: the source got a write after the snapshot, which the target lacks.
  expect(result).toBe('failed');
  const state = fileCheckpoint(statePath(mig.planFile)).load()!;
  expect(Object.entries(state.steps).filter(([, s]) => s.status !== 'done').map(([id]) => id)).toEqual(['verify']);
  return mig;
}

async function catchUpAndVerify(mig: Migration): Promise<string[]> {
  const planned = await mig.run(['catch-up', 'plans/mig.yaml', '--no-interactive']);
  expect(planned.out.trim().split('\n').at(-1), planned.err).toBe('plan: plans/mig-catchup-1.yaml');
  const changes = readPlanFile(join(mig.dir, 'plans', 'mig-catchup-1.yaml')).catchUp!.changes.map((c) => `${c.change} ${c.object}`);
  const applied = await mig.run(['apply', 'plans/mig-catchup-1.yaml', '--yes', '--poll-interval', '0.05']);
  expect(applied.code, applied.out + applied.err).toBe(0);
  const verified = await mig.run(['verify', 'plans/mig-catchup-1.yaml', '--level', 'full']);
  expect(verified.code, verified.out + verified.err).toBe(0);
  const [row] = await clients[1]!.query('SELECT COUNT(*) AS n FROM sales.orders WHERE order_id IN (9001, 9002)');
  expect(Number(row!.n)).toBe(2);
  return changes;
}

describe('a write during a backup', () => {
  it("is caught by the next catch-up where the snapshot's record is read from the repository: only what came after the snapshot", async () => {
    m = await migrateWithWrites(true);
    expect(readState(m).captured?.orders).toBeDefined();
    expect(readState(m).capturedFrom).toBe('snapshot');
    expect(await catchUpAndVerify(m)).toEqual(['changed sales.orders.p2026']);
  });

  it('is caught by the next catch-up from the versions read before the BACKUP was sent, where the repository cannot be read', async () => {
    m = await migrateWithWrites(false);
    expect(readState(m).capturedFrom).toBe('before-backup');
    expect(await catchUpAndVerify(m)).toEqual(['changed sales.orders.p2024', 'changed sales.orders.p2026']);
  });
});

/** The state of the backup step that carried sales.orders. */
function readState(mig: Migration) {
  const state = fileCheckpoint(statePath(mig.planFile)).load()!;
  const plan = readPlanFile(mig.planFile);
  const step = plan.steps.find((s) => s.kind === 'backup' && s.tables.some((t) => t.name === 'orders'))!;
  return state.steps[step.id]!;
}
