// `verify` as a user sees it: clean after a migration; after one row, one property, one
// partition and one rollup change on the target, it names each and exits 5.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunState } from '../../src/run/state-model.js';
import type { Verification } from '../../src/verify/model.js';
import { demoMigration, MIGRATION_SECRET, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration();
  // A rollup on the source travels with its table and is compared by name.
  await m.sandbox.source.execute('USE sales; CREATE MATERIALIZED VIEW by_date AS SELECT order_date, order_id FROM orders;');
  const applied = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
  expect(applied.code, applied.out + applied.err).toBe(0);
}, 60_000);
afterAll(() => m.dispose());

describe('verify', () => {
  it('is clean right after a migration, at both levels', async () => {
    for (const level of ['quick', 'full']) {
      const r = await m.run(['verify', 'plans/mig.yaml', '--level', level]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`verified 4 database\\(s\\), 7 table\\(s\\), 1 view\\(s\\), \\d+ source rows \\(${level}\\): source and target match`));
      expect(r.err).toContain('verifying target:');
    }
  });

  it('names a changed row, a changed property and a dropped partition, and exits 5', async () => {
    const target = m.sandbox.target;
    await target.execute("INSERT INTO `crm-eu`.`Kunden-Ä` VALUES (999, 'extra', 1)");
    await target.execute('ALTER TABLE analytics.events SET ("dynamic_partition.enable" = "false")');
    await target.execute('ALTER TABLE sales.orders DROP PARTITION p2024');
    await target.execute('USE sales; CREATE MATERIALIZED VIEW by_customer AS SELECT customer_id, order_id FROM orders;');

    const r = await m.run(['verify', 'plans/mig.yaml']);
    expect(r.code, r.out + r.err).toBe(5);
    expect(r.out).toMatch(/crm-eu\.Kunden-Ä\s+rows\s+\d+ rows\s+\d+ rows/);
    expect(r.out).toMatch(/analytics\.events\s+property\s+dynamic_partition\.enable true\s+dynamic_partition\.enable false/);
    expect(r.out).toMatch(/sales\.orders\.p2024\s+partitions\s+partition p2024 .*missing/);
    expect(r.out).toMatch(/sales\.orders\s+rollups\s+by_date\s+by_customer, by_date/);

    const json = await m.run(['verify', 'plans/mig.yaml', '--json', '--level', 'full']);
    expect(json.code).toBe(5);
    const v = JSON.parse(json.out) as Verification;
    expect(v.level).toBe('full');
    expect(Object.keys(v).sort()).toEqual(['checkedAt', 'databases', 'differences', 'level', 'notChecked', 'rows', 'tables', 'views']);
    expect(v.notChecked).toEqual([]);
    expect(v).toMatchObject({ databases: 4, tables: 7, views: 1 });
    expect(new Date(v.checkedAt).toISOString()).toBe(v.checkedAt);
    for (const d of v.differences) expect(Object.keys(d).sort()).toEqual(['actual', 'aspect', 'expected', 'object']);
    expect(v.differences.map((d) => `${d.object} ${d.aspect}`).sort()).toEqual([
      'analytics.events property',
      'crm-eu.Kunden-Ä rows',
      'sales.orders rollups',
      'sales.orders.p2024 partitions',
    ]);
    expect(json.out + json.err + r.out + r.err).not.toContain(MIGRATION_SECRET);
  });

  it("fails apply's own verify step with the differences named, and keeps them in the state", async () => {
    const statePath = join(m.dir, 'plans', 'mig.state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as RunState;
    state.steps.verify = { status: 'pending', attempt: 0, history: [] };
    writeFileSync(statePath, JSON.stringify(state));
    const r = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out + r.err).toMatch(/source and target differ in 5 place\(s\): .*crm-eu\.Kunden-Ä rows: expected \d+ rows, found \d+ rows/);
    expect(r.out + r.err).toContain('sales.orders.p2024 partitions: expected partition p2024');
    const after = JSON.parse(readFileSync(statePath, 'utf8')) as RunState;
    expect(after.steps.verify!.status).toBe('failed');
    expect(after.verification?.differences.map((d) => `${d.object} ${d.aspect}`).sort()).toEqual(['analytics.events property', 'crm-eu.Kunden-Ä rows', 'sales.orders rollups', 'sales.orders rows', 'sales.orders.p2024 partitions']);
  });

  it('refuses an unknown level with exit 2 and one line', async () => {
    const r = await m.run(['verify', 'plans/mig.yaml', '--level', 'deep']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--level deep');
  });
});
