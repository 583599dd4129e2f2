// What Doris leaves to a person after RESTORE, done by the plan's follow-up steps: dynamic
// partitioning switched back on, a colocation group put back, an async MV recreated.
import { expect } from 'vitest';
import { createTable, planned, rowCount, type Scenario } from './harness.js';
import { waitForSizes } from './plan-choices.js';

/** `yyyyMMdd` and `yyyy-MM-dd` of today + `days` (UTC): dynamic partitions must sit near today. */
function day(days: number): { name: string; date: string } {
  const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return { name: date.replace(/-/g, ''), date };
}

export const dynamicPartitionReEnabled: Scenario = {
  name: 'dynamic-partition',
  proves: 'a dynamic-partition table restored in parts gets dynamic partitioning back after its last part',
  databases: ['sc_dynamic'],
  async run(ctx) {
    const days = [-3, -2, -1].map(day);
    const partitions = days.map((d, i) => `PARTITION p${d.name} VALUES [("${d.date}"), ("${(days[i + 1] ?? day(0)).date}"))`).join(',\n  ');
    await ctx.pair.seed(`CREATE DATABASE sc_dynamic;
CREATE TABLE sc_dynamic.events (day DATE NOT NULL, user_id BIGINT, kind VARCHAR(16)) DUPLICATE KEY(day)
PARTITION BY RANGE(day) (
  ${partitions}
)
DISTRIBUTED BY HASH(user_id) BUCKETS 2
PROPERTIES ("replication_num" = "1", "dynamic_partition.enable" = "true", "dynamic_partition.time_unit" = "DAY",
  "dynamic_partition.start" = "-30", "dynamic_partition.end" = "2", "dynamic_partition.prefix" = "p",
  "dynamic_partition.buckets" = "2", "dynamic_partition.replication_num" = "1");
INSERT INTO sc_dynamic.events VALUES ${days.map((d, i) => `('${d.date}', ${i + 1}, 'view')`).join(', ')};`);
    await waitForSizes(ctx, 'sc_dynamic', 'events', days.map((d) => `p${d.name}`));
    await planned(ctx, 'dynamic', ['--databases', 'sc_dynamic', '--batch-size', '1B']);
    const plan = ctx.readPlan('dynamic');
    expect(plan.steps.filter((s) => s.kind === 'backup').length, 'split into parts').toBeGreaterThan(1);
    expect(plan.steps.map((s) => s.id)).toContain('dynamic-partition:sc_dynamic:events');
    const applied = await ctx.apply('dynamic');
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('done   dynamic-partition:sc_dynamic:events');
    expect(await createTable(ctx, 'target', 'sc_dynamic.events')).toMatch(/"dynamic_partition\.enable" = "true"/);
    expect(await rowCount(ctx, 'target', 'sc_dynamic.events')).toBe(3);
    expect((await ctx.verify('dynamic')).code).toBe(0);
  },
};

export const colocateGroupRestored: Scenario = {
  name: 'colocate-group',
  proves: 'tables of a colocation group are put back in their group on the target (backups drop colocate_with)',
  databases: ['sc_colocate'],
  async run(ctx) {
    const colocated = (name: string) => `CREATE TABLE sc_colocate.${name} (id BIGINT NOT NULL, v INT) DUPLICATE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1", "colocate_with" = "sc_group");
INSERT INTO sc_colocate.${name} VALUES (1, 1), (2, 2);`;
    await ctx.pair.seed(`CREATE DATABASE sc_colocate;\n${colocated('orders')}\n${colocated('order_items')}`);
    await planned(ctx, 'colocate', ['--databases', 'sc_colocate']);
    expect(ctx.readPlan('colocate').steps.filter((s) => s.kind === 'colocate').length).toBe(2);
    const applied = await ctx.apply('colocate');
    expect(applied.code, applied.out).toBe(0);
    for (const t of ['orders', 'order_items']) expect(await createTable(ctx, 'target', `sc_colocate.${t}`), t).toMatch(/"colocate_with" = "sc_group"/);
    expect((await ctx.verify('colocate')).code).toBe(0);
  },
};

export const mvRecreated: Scenario = {
  name: 'mv-recreated',
  proves: 'an async materialized view (never in a snapshot) is recreated on the target after its base table',
  databases: ['sc_mv'],
  async run(ctx) {
    await ctx.pair.seed(`CREATE DATABASE sc_mv;
CREATE TABLE sc_mv.orders (id BIGINT NOT NULL, day DATE NOT NULL, amount DECIMAL(10, 2)) DUPLICATE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO sc_mv.orders VALUES (1, '2026-01-01', 10), (2, '2026-01-01', 5), (3, '2026-01-02', 7);
CREATE MATERIALIZED VIEW sc_mv.daily_revenue BUILD IMMEDIATE REFRESH AUTO ON MANUAL
DISTRIBUTED BY RANDOM BUCKETS 1 PROPERTIES ("replication_num" = "1")
AS SELECT day, sum(amount) AS revenue FROM sc_mv.orders GROUP BY day;`);
    await planned(ctx, 'mv', ['--databases', 'sc_mv']);
    expect(ctx.readPlan('mv').steps.map((s) => s.id)).toContain('mtmv:sc_mv:daily_revenue');
    const applied = await ctx.apply('mv');
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('done   mtmv:sc_mv:daily_revenue');
    const [mv] = await ctx.query('target', 'SHOW CREATE MATERIALIZED VIEW sc_mv.daily_revenue');
    expect(mv, 'the MV exists on the target').toBeDefined();
    expect(await rowCount(ctx, 'target', 'sc_mv.orders')).toBe(3);
    expect((await ctx.verify('mv')).code).toBe(0);
  },
};
