// Coalesced state writes keep the write-ahead rule: every BACKUP, RESTORE and DDL statement apply
// sends is preceded by a state file on disk that records its intent, and a step reported finished
// is finished on disk. Transitions of one event-loop turn share a write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import type { DorisClient } from '../../src/doris/client.js';
import { coalescedSaves, fileCheckpoint } from '../../src/run/checkpoint.js';
import { applyPlan } from '../../src/run/executor.js';
import type { RunState } from '../../src/run/state-model.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { clientFor, wrapClient } from '../support/client.js';
import { demoMigration, type Migration } from '../support/migration.js';

describe('coalescedSaves', () => {
  it('writes once for the requests of one turn, and again for later ones', async () => {
    let writes = 0;
    const saves = coalescedSaves(() => void writes++);
    const burst = [saves.request(), saves.request(), saves.request()];
    expect(writes).toBe(0);
    await Promise.all(burst);
    expect(writes).toBe(1);
    await saves.request();
    expect(writes).toBe(2);
  });

  it('rejects the requests a failed write covered, and writes again on the next request', async () => {
    let fail = true;
    let writes = 0;
    const saves = coalescedSaves(() => {
      if (fail) throw new Error('disk full');
      writes++;
    });
    const unawaited = saves.request();
    await expect(saves.request()).rejects.toThrow('disk full');
    await expect(unawaited).rejects.toThrow('disk full');
    fail = false;
    await saves.request();
    expect(writes).toBe(1);
  });
});

let m: Migration | undefined;
let dir: string | undefined;
const clients: DorisClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await m?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('records every intent on disk before its statement is sent, and every finish before it is reported', async () => {
  m = await demoMigration({ databases: 'sales,analytics', concurrency: 2 });
  const plan = readPlanFile(m.planFile);
  dir = mkdtempSync(join(tmpdir(), 'dm-durable-'));
  const path = join(dir, 'mig.state.json');
  // A fresh store each time: what the snapshot and journal on disk say now.
  const onDisk = (): RunState => fileCheckpoint(path).load()!;
  const checked: string[] = [];
  const problems: string[] = [];
  /** A real client that, as each job or DDL statement goes out, reads the state file from disk. */
  const checking = (inner: DorisClient): DorisClient =>
    wrapClient(inner, (sql) => {
      const job = /^(BACKUP|RESTORE) SNAPSHOT `([^`]+)`\.`([^`]+)`/.exec(sql);
      const ddl = /^CREATE DATABASE (?:IF NOT EXISTS )?`([^`]+)`/.exec(sql);
      if (job) {
        const [, kind, db, label] = job;
        const step = plan.steps.find((s) => s.kind === kind!.toLowerCase() && 'database' in s && s.database === db && onDisk().steps[s.id]?.label === label);
        const st = step && onDisk().steps[step.id];
        if (st?.status !== 'submitting') problems.push(`${kind} ${db} ${label}: on disk ${JSON.stringify(st)}`);
        checked.push(`${kind} ${db}`);
      } else if (ddl) {
        const st = onDisk().steps[`db:${ddl[1]}`];
        if (st?.status !== 'running') problems.push(`CREATE DATABASE ${ddl[1]}: on disk ${st?.status}`);
        checked.push(`CREATE DATABASE ${ddl[1]}`);
      }
      return inner.query(sql);
    });
  const [source, target] = [clientFor(m.sandbox.source), clientFor(m.sandbox.target)];
  clients.push(source, target);
  let writes = 0;
  const store = fileCheckpoint(path);
  const { result } = await applyPlan(plan, {
    source: checking(source), target: checking(target), secrets: readCredentials(plan.repository.settings, m.env),
    checkpoint: { path, load: () => store.load(), save: (s, changed) => (writes++, store.save(s, changed)) },
    emit: (e) => {
      if (e.kind === 'step-finished' && onDisk().steps[e.step]?.status !== 'done') problems.push(`${e.step} reported finished, on disk ${onDisk().steps[e.step]?.status}`);
    },
    signal: new AbortController().signal, now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)), pollIntervalMs: 20,
  });
  expect(result).toBe('done');
  expect(problems).toEqual([]);
  const jobs = plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').length;
  expect(checked.filter((c) => !c.startsWith('CREATE')).length).toBe(jobs);
  expect(checked.filter((c) => c.startsWith('CREATE')).length).toBe(2);
  expect(writes).toBeGreaterThan(0);
}, 60_000);
