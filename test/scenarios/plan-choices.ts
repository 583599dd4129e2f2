// What the planner decides with the user: conflicts on the target, a database under a new name,
// a table too big for one job split by partitions.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTable, planned, rowCount, type Scenario, type ScenarioContext } from './harness.js';

const table = (db: string, name: string) => `
CREATE TABLE ${db}.${name} (id BIGINT NOT NULL, day DATE NOT NULL, note VARCHAR(32))
DUPLICATE KEY(id, day)
PARTITION BY RANGE(day) (
  PARTITION p2023 VALUES LESS THAN ("2024-01-01"),
  PARTITION p2024 VALUES LESS THAN ("2025-01-01"),
  PARTITION p2025 VALUES LESS THAN ("2026-01-01"),
  PARTITION p2026 VALUES LESS THAN ("2027-01-01")
)
DISTRIBUTED BY HASH(id) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO ${db}.${name} VALUES (1, '2023-02-01', 'a'), (2, '2024-03-01', 'b'), (3, '2024-04-01', 'c'),
  (4, '2025-05-01', 'd'), (5, '2026-06-01', 'e'), (6, '2026-07-01', 'f');
`;

export const conflictsRefused: Scenario = {
  name: 'conflicts-refused',
  proves: 'a table that already exists on the target is refused with exit 4 and no plan; --on-conflict alias restores beside it',
  databases: ['sc_conflict'],
  async run(ctx) {
    await ctx.pair.seed(`CREATE DATABASE sc_conflict;\n${table('sc_conflict', 'orders')}`);
    await ctx.pair.exec('target', `CREATE DATABASE sc_conflict;
CREATE TABLE sc_conflict.orders (id BIGINT NOT NULL, other INT) DUPLICATE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO sc_conflict.orders VALUES (42, 1);`);
    const refused = await ctx.plan('conflict', ['--databases', 'sc_conflict']);
    expect(refused.code, refused.err).toBe(4);
    expect(refused.err).toMatch(/1 table\(s\) already exist on the target: sc_conflict\.orders.*--on-conflict/);
    expect(existsSync(join(ctx.dir, 'plans', 'conflict.yaml'))).toBe(false);

    await planned(ctx, 'conflict', ['--databases', 'sc_conflict', '--on-conflict', 'alias']);
    const applied = await ctx.apply('conflict');
    expect(applied.code, applied.out).toBe(0);
    expect(await rowCount(ctx, 'target', 'sc_conflict.orders_migrated')).toBe(6);
    expect(await rowCount(ctx, 'target', 'sc_conflict.orders'), 'the existing table is left alone').toBe(1);
    expect((await ctx.verify('conflict')).code).toBe(0);
  },
};

export const renamedDatabase: Scenario = {
  name: 'renamed-database',
  proves: '--rename restores a database under another name, and verify compares it under that name',
  databases: ['sc_rename_src', 'sc_rename_dst'],
  async run(ctx) {
    await ctx.pair.seed(`CREATE DATABASE sc_rename_src;\n${table('sc_rename_src', 'orders')}`);
    await planned(ctx, 'rename', ['--databases', 'sc_rename_src', '--rename', 'sc_rename_src=sc_rename_dst']);
    const applied = await ctx.apply('rename');
    expect(applied.code, applied.out).toBe(0);
    expect(await rowCount(ctx, 'target', 'sc_rename_dst.orders')).toBe(6);
    const names = (await ctx.query('target', 'SHOW DATABASES')).map((r) => String(Object.values(r)[0]));
    expect(names).toContain('sc_rename_dst');
    expect(names).not.toContain('sc_rename_src');
    expect((await ctx.verify('rename', ['--level', 'full'])).code).toBe(0);
  },
};

/**
 * Waits until Doris reports a size for every partition that holds rows (real Doris reports tablet
 * sizes a while after a load; a split by size needs them). `partitions`: those that hold rows,
 * when others exist (a dynamic-partition table grows empty ones of its own).
 */
export async function waitForSizes(ctx: ScenarioContext, db: string, name: string, partitions?: string[]): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const rows = (await ctx.query('source', `SHOW PARTITIONS FROM ${db}.${name}`)).filter((r) => !partitions || partitions.includes(String(r.PartitionName)));
    if (rows.length && rows.every((r) => !/^0(\.0+)?\s*\S*$/.test(String(r.DataSize).trim()))) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${db}.${name}: Doris reported no partition sizes within 2 minutes`);
}

export const splitByPartitions: Scenario = {
  name: 'split-by-partitions',
  proves: 'a table bigger than --batch-size is backed up and restored in parts by partition and arrives whole',
  databases: ['sc_split'],
  async run(ctx) {
    await ctx.pair.seed(`CREATE DATABASE sc_split;\n${table('sc_split', 'orders')}`);
    await waitForSizes(ctx, 'sc_split', 'orders');
    await planned(ctx, 'split', ['--databases', 'sc_split', '--batch-size', '1B']);
    const backups = ctx.readPlan('split').steps.filter((s) => s.kind === 'backup');
    expect(backups.length, 'one job per partition').toBe(4);
    const applied = await ctx.apply('split');
    expect(applied.code, applied.out).toBe(0);
    const partitions = async (side: 'source' | 'target') => (await ctx.query(side, 'SHOW PARTITIONS FROM sc_split.orders')).map((r) => String(r.PartitionName)).sort();
    expect(await partitions('target')).toEqual(await partitions('source'));
    expect(await rowCount(ctx, 'target', 'sc_split.orders')).toBe(6);
    expect(await createTable(ctx, 'target', 'sc_split.orders')).toContain('PARTITION BY RANGE');
    expect((await ctx.verify('split', ['--level', 'full'])).code).toBe(0);
  },
};
