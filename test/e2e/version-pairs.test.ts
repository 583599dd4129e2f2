// One combined end-to-end run per Doris version pair, on simulators that answer as Doris's FE
// code does (issue 14): a colocation group, a dynamic-partition table whose partitions the running
// scheduler made, an AUTO PARTITION table, aggregate and unique tables with merged rows, an async MV
// whose source replicas outnumber the target's backends, and atomic-replace over a target table
// with a different rollup. Each migrates and verifies clean, or is refused at plan time with the reason.
import { describe, expect, it } from 'vitest';
import { createTable, planned, rowCount, runScenario, type Scenario, type ScenarioContext } from '../scenarios/harness.js';
import { simulatorPair } from './simulator-pair.js';

/** `yyyy-MM-dd` of today + `days` in the clusters' zone (Asia/Shanghai, where the scheduler runs). */
const day = (days: number): string => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

interface Pair {
  source: string;
  target: string;
  /** The source line has AUTO PARTITION and async MVs (2.1+). */
  modern: boolean;
  /** The target can RESTORE with force_replace (2.1.9+, 3.0.5+, 4.0). */
  forceReplace: boolean;
}

const PAIRS: Pair[] = [
  { source: '2.0', target: '2.1', modern: false, forceReplace: false },
  { source: '2.1', target: '3.0', modern: true, forceReplace: false },
  { source: '3.0', target: '4.0', modern: true, forceReplace: true },
  { source: '4.0', target: '4.0', modern: true, forceReplace: true },
];

function seed(p: Pair): string {
  const today = day(0);
  return `CREATE DATABASE vp;
CREATE TABLE vp.orders (id BIGINT NOT NULL, v INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("colocate_with" = "vp_group");
CREATE TABLE vp.order_items (id BIGINT NOT NULL, sku VARCHAR(8)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("colocate_with" = "vp_group");
INSERT INTO vp.orders VALUES (1, 1), (2, 2);
INSERT INTO vp.order_items VALUES (1, 'a'), (2, 'b'), (2, 'c');
CREATE TABLE vp.events (day DATE NOT NULL, user_id BIGINT) DUPLICATE KEY(day) PARTITION BY RANGE(day) () DISTRIBUTED BY HASH(user_id) BUCKETS 2
PROPERTIES ("dynamic_partition.time_unit" = "DAY", "dynamic_partition.start" = "-30", "dynamic_partition.end" = "2", "dynamic_partition.prefix" = "p");
INSERT INTO vp.events VALUES ('${today}', 1), ('${today}', 2), ('${day(1)}', 3);
CREATE TABLE vp.totals (region VARCHAR(8) NOT NULL, amount BIGINT SUM, peak INT MAX, note VARCHAR(8) REPLACE) AGGREGATE KEY(region) DISTRIBUTED BY HASH(region) BUCKETS 2;
INSERT INTO vp.totals VALUES ('eu', 5, 3, 'a'), ('eu', 7, 9, 'b'), ('us', 1, 1, 'c');
CREATE TABLE vp.users (id BIGINT NOT NULL, name VARCHAR(16)) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2;
INSERT INTO vp.users VALUES (1, 'old'), (2, 'two');
INSERT INTO vp.users VALUES (1, 'new');
CREATE TABLE vp.sales (k INT NOT NULL, v BIGINT SUM) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2;
ALTER TABLE vp.sales ADD ROLLUP by_k (k, v);
INSERT INTO vp.sales VALUES (1, 10), (2, 20);
${p.modern ? `CREATE TABLE vp.clicks (ts DATETIME NOT NULL, n INT) DUPLICATE KEY(ts) AUTO PARTITION BY RANGE (date_trunc(ts, 'month')) () DISTRIBUTED BY HASH(ts) BUCKETS 1;
INSERT INTO vp.clicks VALUES ('2026-01-05 10:00:00', 1), ('2026-02-01 00:00:00', 2), ('2026-02-11 00:00:00', 3);
CREATE MATERIALIZED VIEW vp.user_names BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 1 AS SELECT id, name FROM vp.users;` : ''}`;
}

async function migrate(ctx: ScenarioContext, p: Pair): Promise<void> {
  await ctx.pair.seed(seed(p));
  // The source keeps Doris's default 3 replicas; the target has one backend left. The database is
  // renamed on the way: 2.1+ name groups `<db>.<group>`, and the old name must not leak into one.
  await ctx.pair.exec('target', `CREATE DATABASE vp_new;
CREATE TABLE vp_new.sales (k INT NOT NULL, v BIGINT SUM) AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES ("replication_num" = "1");
ADMIN SIM SET ALIVE BACKENDS 1;`);
  const partitions = (await ctx.query('source', 'SHOW PARTITIONS FROM vp.events')).map((r) => String(r.PartitionName));
  expect(partitions, 'the scheduler made today and the next two days').toEqual([day(0), day(1), day(2)].map((d) => `p${d.replace(/-/g, '')}`));

  const rename = ['--databases', 'vp', '--rename', 'vp=vp_new'];
  const replace = await ctx.plan('pairs', [...rename, '--on-conflict', 'atomic-replace']);
  if (!p.forceReplace) {
    // Doris would cancel the restore ("already exist but with different schema"): refused up front.
    expect(replace.code, replace.err).toBe(4);
    expect(replace.err).toContain('vp_new.sales (rollups differ: source (by_k), target (none))');
    expect(replace.err).toContain('needs force_replace');
    await ctx.pair.exec('target', 'DROP TABLE vp_new.sales');
    await planned(ctx, 'pairs', rename);
  } else {
    expect(replace.code, replace.err).toBe(0);
    const restore = ctx.readPlan('pairs').steps.find((s) => s.kind === 'restore' && s.tables.some((t) => t.name === 'sales'));
    expect(restore && 'properties' in restore ? restore.properties : {}).toMatchObject({ atomic_restore: 'true', force_replace: 'true' });
  }
  const plan = ctx.readPlan('pairs');
  if (p.modern) expect(plan.steps.map((s) => s.id)).toContain('mtmv:vp_new:user_names');

  const applied = await ctx.apply('pairs');
  expect(applied.code, applied.out).toBe(0);
  const verified = await ctx.verify('pairs');
  expect(verified.code, verified.out).toBe(0);
  expect(verified.out).not.toContain('not checked');

  for (const t of ['orders', 'order_items']) expect(await createTable(ctx, 'target', `vp_new.${t}`), t).toContain('"colocate_with" = "vp_group"');
  expect(await createTable(ctx, 'target', 'vp_new.events')).toContain('"dynamic_partition.enable" = "true"');
  expect(await rowCount(ctx, 'target', 'vp_new.totals')).toBe(2);
  expect(await ctx.query('target', "SELECT amount, peak, note FROM vp_new.totals WHERE region = 'eu'")).toEqual([{ amount: '12', peak: '9', note: 'b' }]);
  expect(await ctx.query('target', 'SELECT name FROM vp_new.users WHERE id = 1')).toEqual([{ name: 'new' }]);
  expect((await ctx.query('target', 'DESC vp_new.sales ALL')).map((r) => r.IndexName).filter(Boolean)).toEqual(['sales', 'by_k']);
  if (p.modern) {
    expect((await ctx.query('target', 'SHOW PARTITIONS FROM vp_new.clicks')).map((r) => r.PartitionName)).toEqual(['p20260101000000', 'p20260201000000']);
    expect(await rowCount(ctx, 'target', 'vp_new.user_names')).toBe(2);
  }
}

describe('end-to-end on each Doris version pair (simulator)', () => {
  for (const p of PAIRS) {
    const scenario: Scenario = {
      name: `pair-${p.source}-${p.target}`.replace(/\./g, ''),
      proves: 'colocation, dynamic and AUTO partitions, key models, an MV and atomic-replace migrate and verify clean',
      simulatorOnly: 'a target with one backend (ADMIN SIM SET ALIVE BACKENDS)',
      databases: ['vp', 'vp_new'],
      run: (ctx) => migrate(ctx, p),
    };
    it(`${p.source} -> ${p.target}: ${scenario.proves}${p.modern ? '' : ' (2.0 has no AUTO PARTITION or async MV)'}`, async () => {
      const pair = await simulatorPair({ source: p.source, target: p.target });
      try {
        await runScenario(pair, scenario);
      } finally {
        await pair.close();
      }
    }, 180_000);
  }
});
