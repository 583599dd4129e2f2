// `catch-up` refuses what it cannot compare: a plan never applied, or one whose run is unfinished.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statePath } from '../../src/cli/run-context.js';
import { initialState } from '../../src/run/state-model.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(async () => {
  await m.dispose();
});

describe('catch-up', () => {
  it('refuses a plan that was never applied, with exit 2 and the fix', async () => {
    const r = await m.run(['catch-up', 'plans/mig.yaml', '--no-interactive']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/plans\/mig\.yaml has no state .*: apply it first, then catch up/);
  });

  it('refuses a run that did not finish, naming the steps left', async () => {
    const plan = readPlanFile(m.planFile);
    writeFileSync(statePath(m.planFile), JSON.stringify(initialState(plan, '2026-12-04T00:00:00.000Z')));
    const r = await m.run(['catch-up', 'plans/mig.yaml', '--no-interactive']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/plans\/mig\.yaml is not finished \(backup:sales:1, .*not done\): apply it first, then catch up/);
  });
});
