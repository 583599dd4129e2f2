// `cancel` cancels only jobs proved ours and still running, and changes nothing else in the state.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

const submitted = (mig: Migration, side: 'source' | 'target', statement: 'BACKUP' | 'RESTORE') => mig.sandbox[side].jobs.history().filter((h) => h.statement === statement && h.outcome === 'submitted');

describe('cancel', () => {
  it('leaves a job that finished while apply was down alone, so the next apply records it instead of restoring again', async () => {
    m = await demoMigration({ databases: 'sales' });
    expect((await m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02'])).code).toBe(0);
    // As an apply killed while watching leaves it: the restore recorded as running, its job since FINISHED.
    const store = fileCheckpoint(join(m.dir, 'plans', 'mig.state.json'));
    const state = store.load()!;
    const restore = Object.entries(state.steps).find(([id]) => id.startsWith('restore:'))!;
    Object.assign(restore[1], { status: 'running', dorisState: 'DOWNLOADING' });
    delete restore[1].finishedAt;
    store.save(state);
    const before = JSON.stringify(store.load());

    const cancelled = await m.run(['cancel', 'plans/mig.yaml']);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toMatch(/RESTORE \S+_a1 of sales: already FINISHED \(JobId \d+\); left for apply to record/);
    expect(cancelled.out).toContain('0 job(s) cancelled');
    expect(JSON.stringify(store.load())).toBe(before);

    const again = await m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
    expect(again.code, again.out).toBe(0);
    expect(submitted(m, 'target', 'RESTORE')).toHaveLength(1);
    expect(store.load()!.steps[restore[0]]).toMatchObject({ status: 'done', dorisState: 'FINISHED' });
  }, 60_000);
});
