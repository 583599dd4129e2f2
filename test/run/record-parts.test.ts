// The run's record in the repository as a snapshot and small numbered parts (run/state-mirror.ts,
// run/record-read.ts), against s3rver: a save uploads what it changed whatever the plan's size,
// reading gives the state back exactly across merges and new snapshots, and a part cut short
// (s3rver keeps partial uploads) is handled as the write-ahead rule allows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/schema.js';
import { journalStore } from '../../src/run/journal.js';
import { readRecord } from '../../src/run/record-read.js';
import { MERGE_EVERY, mirroredCheckpoint, type RunRecordStore } from '../../src/run/state-mirror.js';
import { initialState, type RunState } from '../../src/run/state-model.js';
import { startAzurite, startS3Server, type S3Server } from '../../src/sandbox/stack/object-servers.js';
import { openRepository } from '../../src/storage/backend.js';
import { parseRunRecordKey, runRecordKey, runRecordPartKey } from '../../src/storage/layout.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, targetFacts } from '../support/catalog-builder.js';

let s3: S3Server;
let dir: string;
beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['doris-migrate'] });
  dir = mkdtempSync(join(tmpdir(), 'dm-record-'));
});
afterAll(async () => {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

function planOf(databases: number, tables: number): Plan {
  const catalog = aCatalog();
  for (let d = 0; d < databases; d++) catalog.withDb(`db${d}`, { tables });
  return buildPlan({
    name: 'parts', now: '2026-12-04T08:00:00.000Z',
    source: { catalog: catalog.build(), ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://doris-migrate/parts', { s3Endpoint: 'http://127.0.0.1:1' }) },
    options: { labelPrefix: 'parts', concurrency: { source: 2, target: 2 }, batchBytes: 1000, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });
}

/** The run records of a fresh location on s3rver, with the bytes each write uploads. */
async function records(location: string): Promise<{ objects: RunRecordStore; writes: { key: string; bytes: number }[] }> {
  const repository = await openRepository(settingsFromLocation(location, { s3Endpoint: s3.endpoint, s3PathStyle: true }), { accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey });
  const real = repository.runRecord!;
  const writes: { key: string; bytes: number }[] = [];
  return {
    writes,
    objects: { ...real, write: (key, text) => (writes.push({ key, bytes: Buffer.byteLength(text) }), real.write(key, text)) },
  };
}

/** A run's transitions, two steps at a time: submitted, then done, round the plan's job steps. */
function* transitions(plan: Plan, state: RunState, count: number): Generator<string[]> {
  const jobs = plan.steps.filter((s) => s.kind === 'backup' || s.kind === 'restore').map((s) => s.id);
  for (let i = 0; i < count; i++) {
    const ids = [jobs[(2 * i) % jobs.length]!, jobs[(2 * i + 1) % jobs.length]!];
    for (const id of ids) {
      const st = state.steps[id]!;
      st.attempt++;
      Object.assign(st, { status: i % 2 ? 'done' : 'running', label: `${id}_a${st.attempt}`, jobId: String(1000 + i), dorisState: i % 2 ? 'FINISHED' : 'UPLOADING' });
      st.history.push({ attempt: st.attempt, label: st.label!, outcome: 'submitted', at: `2026-12-04T09:00:${String(i % 60).padStart(2, '0')}.000Z` });
    }
    // Now and then a field of the run itself is set anew (as --accept-drift's skipped objects are).
    if (i % 50 === 7) state.skipped = [...(state.skipped ?? []), `db0.t${i}`];
    state.updatedAt = new Date(Date.parse('2026-12-04T09:00:00.000Z') + i * 1000).toISOString();
    yield ids;
  }
}

/** Saves `count` transitions; every `checkEvery`, the record read back must be the state. */
async function run(plan: Plan, location: string, name: string, count: number, checkEvery: number) {
  const { objects, writes } = await records(location);
  const local = journalStore(join(dir, `${name}.state.json`));
  const mirror = mirroredCheckpoint(local, objects, name, location);
  const state = initialState(plan, '2026-12-04T09:00:00.000Z');
  await mirror.save(state);
  const first = writes.length;
  let i = 0;
  for (const changed of transitions(plan, state, count)) {
    await mirror.save(state, changed);
    if (++i % checkEvery === 0) expect(await readRecord(objects, name, location)).toEqual(JSON.parse(JSON.stringify(state)));
  }
  expect(await readRecord(objects, name, location)).toEqual(local.load());
  return { objects, state, writes, after: writes.slice(first), snapshotBytes: writes[0]!.bytes };
}

describe("the run's record as a snapshot and numbered parts", () => {
  it('uploads what a save changed, the same for a plan 200 times larger, and reads back exactly across merges and new snapshots', async () => {
    const small = await run(planOf(1, 2), 's3://doris-migrate/small', 'small', 400, 37);
    const large = await run(planOf(20, 100), 's3://doris-migrate/large', 'large', 400, 37);
    expect(large.snapshotBytes).toBeGreaterThan(100 * small.snapshotBytes);
    const kinds = (w: { key: string }[]) => new Set(w.map((x) => parseRunRecordKey(x.key.split('/')[1]!, x.key)?.kind));
    // Both passed through merges and new snapshots (the small one's are small too).
    expect(kinds(small.after)).toEqual(new Set(['delta', 'segment', 'snapshot']));
    expect(kinds(large.after)).toEqual(new Set(['delta', 'segment']));
    const perSave = (r: typeof small) => r.after.reduce((s, w) => s + w.bytes, 0) / 400;
    const deltaMax = (r: typeof small) => Math.max(...r.after.filter((w) => w.key.includes('/delta-')).map((w) => w.bytes));
    expect(deltaMax(large)).toBeLessThan(3 * deltaMax(small));
    expect(perSave(large)).toBeLessThan(3 * perSave(small));
    expect(perSave(large)).toBeLessThan(large.snapshotBytes / 50);
    // A reader fetches a snapshot, a few segments and at most MERGE_EVERY deltas.
    expect((await large.objects.list('large')).length).toBeLessThanOrEqual(1 + MERGE_EVERY + 400 / MERGE_EVERY);
  }, 60_000);

  it('drops a last delta cut short, reads a cut segment from its deltas and a cut newest snapshot from the one before; other damage is named', async () => {
    const plan = planOf(2, 5);
    const { objects, state } = await run(plan, 's3://doris-migrate/torn', 'torn', MERGE_EVERY + 5, 1000);
    const keys = (await objects.list('torn')).sort();
    const seqs = keys.map((k) => parseRunRecordKey('torn', k)!);
    const last = Math.max(...seqs.map((p) => p.seq));
    const expected = JSON.parse(JSON.stringify(state)) as RunState;
    const cut = async (key: string) => objects.write(key, (await objects.read(key)).slice(0, 40));

    // The next save's delta, cut short by a kill mid-upload: its save never completed.
    await objects.write(runRecordPartKey('torn', { kind: 'delta', seq: last + 1 }), '{"seq":');
    expect(await readRecord(objects, 'torn', 's3://doris-migrate/torn')).toEqual(expected);
    await objects.delete(runRecordPartKey('torn', { kind: 'delta', seq: last + 1 }));

    // A merge cut short: the segment over the deltas still there is passed over.
    const deltas = seqs.filter((p) => p.kind === 'delta').map((p) => p.seq);
    expect(deltas.length).toBeGreaterThan(2);
    await objects.write(runRecordPartKey('torn', { kind: 'segment', from: Math.min(...deltas), seq: last }), '{"seq":');
    expect(await readRecord(objects, 'torn', 's3://doris-migrate/torn')).toEqual(expected);

    // A new snapshot cut short: the one before and its parts are all still there.
    await objects.write(runRecordPartKey('torn', { kind: 'snapshot', seq: last + 1 }), '{"steps":{');
    expect(await readRecord(objects, 'torn', 's3://doris-migrate/torn')).toEqual(expected);

    // A delta cut short with saves after it was acted on: named, never read past.
    await cut(runRecordPartKey('torn', { kind: 'delta', seq: last - 1 }));
    await expect(readRecord(objects, 'torn', 's3://doris-migrate/torn')).rejects.toThrow(/^the run's record torn in s3:\/\/doris-migrate\/torn cannot be read \(.*delta-0+\d+\.json: .*\): restore it or delete it to start over knowingly$/);

    // The next process's first save writes a snapshot past all of it and deletes the rest.
    const next = mirroredCheckpoint(journalStore(join(dir, 'torn-2.state.json')), objects, 'torn', 's3://doris-migrate/torn');
    await next.save(expected);
    expect(await objects.list('torn')).toEqual([runRecordPartKey('torn', { kind: 'snapshot', seq: last + 2 })]);
    expect(await readRecord(objects, 'torn', 's3://doris-migrate/torn')).toEqual(expected);
  }, 60_000);

  it('a change made while a delta is uploading goes in the next one', async () => {
    const plan = planOf(1, 3);
    const { objects: real } = await records('s3://doris-migrate/during');
    const state = initialState(plan, '2026-12-04T09:00:00.000Z');
    // The run goes on while a delta is on its way: a field of the run is set anew meanwhile.
    let during: (() => void) | undefined;
    const objects: RunRecordStore = { ...real, write: (key, text) => (during?.(), (during = undefined), real.write(key, text)) };
    const local = journalStore(join(dir, 'during.state.json'));
    const mirror = mirroredCheckpoint(local, objects, 'during', 's3://doris-migrate/during');
    await mirror.save(state);
    const steps = transitions(plan, state, 2);
    const first = steps.next().value as string[];
    state.skipped = ['db0.t000'];
    during = () => (state.skipped = ['db0.t000', 'db0.t001']);
    await mirror.save(state, first);
    await mirror.save(state, steps.next().value as string[]);
    expect(await readRecord(objects, 'during', 's3://doris-migrate/during')).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('reads a record written before the parts (one object), and replaces it at the first save', async () => {
    const plan = planOf(1, 3);
    const { objects } = await records('s3://doris-migrate/legacy');
    const state = initialState(plan, '2026-12-04T09:00:00.000Z');
    await objects.write(runRecordKey('legacy'), JSON.stringify(state));
    expect(await readRecord(objects, 'legacy', 's3://doris-migrate/legacy')).toEqual(state);
    const mirror = mirroredCheckpoint(journalStore(join(dir, 'legacy.state.json')), objects, 'legacy', 's3://doris-migrate/legacy');
    const [changed] = [...transitions(plan, state, 1)];
    await mirror.save(state, changed);
    expect(await objects.list('legacy')).toEqual([runRecordPartKey('legacy', { kind: 'snapshot', seq: 1 })]);
    expect(await readRecord(objects, 'legacy', 's3://doris-migrate/legacy')).toEqual(state);
  });

  it('works the same on Azure Blob (Azurite): parts listed, merged, read back and replaced', async () => {
    const azure = await startAzurite({ containers: ['backups'] });
    try {
      const location = 'azure://devstoreaccount1/backups/parts';
      const objects = (await openRepository(settingsFromLocation(location, { azureEndpoint: azure.endpoint }), { azureKey: azure.accountKey })).runRecord!;
      const plan = planOf(2, 5);
      const local = journalStore(join(dir, 'azure.state.json'));
      const mirror = mirroredCheckpoint(local, objects, 'az', location);
      const state = initialState(plan, '2026-12-04T09:00:00.000Z');
      await mirror.save(state);
      for (const changed of transitions(plan, state, MERGE_EVERY + 3)) await mirror.save(state, changed);
      const kinds = (await objects.list('az')).map((k) => parseRunRecordKey('az', k)!.kind).sort();
      expect(kinds).toEqual(['delta', 'delta', 'delta', 'segment', 'snapshot']);
      expect(await readRecord(objects, 'az', location)).toEqual(local.load());
      await mirror.save(state);
      expect((await objects.list('az')).map((k) => parseRunRecordKey('az', k)!.kind)).toEqual(['snapshot']);
      expect(await readRecord(objects, 'az', location)).toEqual(local.load());
    } finally {
      await azure.stop();
    }
  }, 60_000);
});
