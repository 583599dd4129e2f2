// `catch-up` on a machine without the finished run's local state (another machine, a lost file):
// it reads the run's record in the repository, as apply resumes, and plans from it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { demoMigration, forgetLocalState, READ_FROM_RECORD, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(() => m.dispose());

describe('catch-up without the local state', () => {
  it("plans what changed since the run the repository's record holds, and says where it read it", async () => {
    const applied = await m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
    expect(applied.code, applied.err).toBe(0);
    await m.sandbox.source.execute("INSERT INTO sales.orders VALUES (9001, '2024-06-01', 1, 1.00)");
    forgetLocalState(m);

    const r = await m.run(['catch-up', 'plans/mig.yaml', '--no-interactive']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(READ_FROM_RECORD);
    expect(r.out.trim().split('\n').at(-1)).toBe('plan: plans/mig-catchup-1.yaml');
    const changes = readPlanFile(join(m.dir, 'plans', 'mig-catchup-1.yaml')).catchUp!.changes.map((c) => `${c.change} ${c.object}`);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(/sales\.orders/);
  }, 60_000);
});
