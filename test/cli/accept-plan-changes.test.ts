// A plan re-made after a run (a batch gained a table) is compared with the state step by step:
// apply names the changed steps, and with --accept-plan-changes runs them again.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(() => m.dispose());

const apply = (extra: string[] = []) => m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02', ...extra]);

describe('apply --accept-plan-changes', () => {
  it('names a step whose content changed, and runs it again when accepted', async () => {
    expect((await apply()).code).toBe(0);
    await m.sandbox.source.execute('CREATE TABLE sales.late_arrival (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1"); INSERT INTO sales.late_arrival VALUES (1), (2);');
    const remade = await m.run([
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/apply', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--name', 'mig',
      '--databases', 'sales', '--on-conflict', 'skip', '--out', 'plans/remade.yaml', '--no-interactive',
    ]);
    expect(remade.code, remade.err).toBe(0);
    copyFileSync(join(m.dir, 'plans', 'remade.yaml'), m.planFile);

    const refused = await apply();
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/is not the plan this migration started with \(steps added: .*; changed: .*backup:sales:1.*restore:sales:1.*; removed: .*\): run with --accept-plan-changes/);

    const accepted = await apply(['--accept-plan-changes']);
    expect(accepted.code, accepted.out + accepted.err).toBe(0);
    expect(m.sandbox.target.engine.world.databases.sales?.tables.late_arrival, 'the table the batch gained').toBeDefined();
    // The first run's verdict covered the old plan only: the check is made again.
    expect(accepted.out).toMatch(/start\s+verify\s/);
  }, 90_000);
});
