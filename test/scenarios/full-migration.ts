// The demo catalog, whole: every kind of object the tool plans for, migrated, followed up and
// verified clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { rowCount, type Scenario } from './harness.js';

const DEMO_SQL = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'catalogs', 'demo.sql'), 'utf8');
const DEMO_DATABASES = ['sales', 'analytics', 'ops', 'crm-eu'];

export const demoCatalog: Scenario = {
  name: 'demo-catalog',
  proves: 'the demo catalog migrates whole: backups, restores, follow-ups, verify clean, left-outs named',
  databases: DEMO_DATABASES,
  async run(ctx) {
    await ctx.pair.seed(DEMO_SQL);
    const planned = await ctx.plan('demo', ['--databases', DEMO_DATABASES.join(',')]);
    expect(planned.code, planned.err).toBe(0);
    const plan = ctx.readPlan('demo');
    const excluded = plan.excluded.map((e) => e.object);
    expect(excluded).toEqual(expect.arrayContaining(['ops.audit_log', 'ops.staging']));
    expect(plan.steps.map((s) => s.kind)).toEqual(expect.arrayContaining(['backup', 'restore', 'colocate', 'mtmv', 'verify']));

    const applied = await ctx.apply('demo');
    expect(applied.code, applied.out + applied.err).toBe(0);
    expect(applied.out).toMatch(/done {3}verify {2}\(source and target match: /);
    const verified = await ctx.verify('demo', ['--level', 'full']);
    expect(verified.code, verified.out + verified.err).toBe(0);

    for (const table of ['sales.orders', 'sales.customers', 'analytics.events', '`crm-eu`.`Kunden-Ä`']) {
      expect(await rowCount(ctx, 'target', table), table).toBe(await rowCount(ctx, 'source', table));
    }
    const [mv] = await ctx.query('target', 'SHOW CREATE MATERIALIZED VIEW analytics.daily_revenue');
    expect(mv, 'async MV recreated on the target').toBeDefined();
  },
};
