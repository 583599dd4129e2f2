// Follow-ups are idempotent: run again (as after a crash between their statement and the
// checkpoint), each finds its effect in place, changes nothing, and the run still succeeds.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunState } from '../../src/run/state-model.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration();
}, 60_000);
afterAll(() => m.dispose());

const apply = () => m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
const followUp = (id: string) => /^(colocate|dynamic-partition|mtmv):/.test(id);
/** The target's catalog without timestamps: what a follow-up could change. */
const targetShape = () =>
  JSON.stringify(Object.values(m.sandbox.target.engine.world.databases).map((d) => [d.name, Object.values(d.tables).map((t) => [t.name, t.id, t.type, t.properties, t.partitions.map((p) => [p.name, p.rows.length])])]));

describe('follow-ups', () => {
  it('run twice change nothing the second time', async () => {
    const first = await apply();
    expect(first.code, first.out + first.err).toBe(0);
    const statePath = join(m.dir, 'plans', 'mig.state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as RunState;
    const ids = Object.keys(state.steps).filter(followUp);
    expect(ids.some((id) => id.startsWith('colocate:'))).toBe(true);
    expect(ids.some((id) => id.startsWith('mtmv:'))).toBe(true);
    const before = targetShape();

    // Forget that they ran, as if apply died right after their statements.
    for (const id of [...ids, 'verify']) state.steps[id] = { status: 'pending', attempt: 0, history: [] };
    writeFileSync(statePath, JSON.stringify(state));
    const second = await apply();
    expect(second.code, second.out + second.err).toBe(0);
    for (const id of ids) expect(second.out).toMatch(new RegExp(`done\\s+${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\((already in place|already there; refreshed)\\)`));
    expect(targetShape()).toBe(before);
  });

});
