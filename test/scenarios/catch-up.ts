// Cutover in minutes: after a migration, catch-up copies only what changed on the source (a load
// into one partition, a new partition, an overwritten one, a changed schema, a new table), apply
// runs it, verify --level full matches, and a second catch-up finds nothing to do. And apply
// refuses a plan whose source drifted (a table dropped) before submitting any job, or skips it
// with --accept-drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { planned, rowCount, type Scenario } from './harness.js';

const DB = 'sc_catchup';
const months = ['01', '02', '03', '04', '05', '06', '07', '08'];
const SEED = `
CREATE DATABASE ${DB};
CREATE TABLE ${DB}.events (id BIGINT NOT NULL, day DATE NOT NULL, note VARCHAR(32))
DUPLICATE KEY(id, day)
PARTITION BY RANGE(day) (
${months.map((m) => `  PARTITION p${m} VALUES LESS THAN ("2025-${String(Number(m) + 1).padStart(2, '0')}-01")`).join(',\n')}
)
DISTRIBUTED BY HASH(id) BUCKETS 2 PROPERTIES ("replication_num" = "1");
INSERT INTO ${DB}.events VALUES ${months.map((m, i) => `(${i + 1}, '2025-${m}-10', 'n${m}')`).join(', ')};
CREATE TABLE ${DB}.users (id BIGINT NOT NULL, name VARCHAR(32))
DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO ${DB}.users VALUES (1, 'ada'), (2, 'bob');
CREATE TABLE ${DB}.stale (id BIGINT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO ${DB}.stale VALUES (1);
`;

const CHANGES = `
INSERT INTO ${DB}.events VALUES (100, '2025-02-11', 'late');
ALTER TABLE ${DB}.events ADD PARTITION p09 VALUES LESS THAN ("2025-10-01");
INSERT INTO ${DB}.events VALUES (101, '2025-09-02', 'new');
INSERT OVERWRITE TABLE ${DB}.events PARTITION (p04) VALUES (102, '2025-04-20', 'redo');
ALTER TABLE ${DB}.users ADD COLUMN email VARCHAR(64);
INSERT INTO ${DB}.users (id, name, email) VALUES (3, 'cy', 'cy@example.com');
CREATE TABLE ${DB}.audit (id BIGINT NOT NULL, what VARCHAR(32)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
INSERT INTO ${DB}.audit VALUES (1, 'created');
`;

export const catchUpAfterMigration: Scenario = {
  name: 'catch-up',
  proves: 'catch-up plans exactly what changed since the migration, apply runs it, verify --level full matches, the next catch-up finds nothing; a drifted source is refused before any job, or skipped with --accept-drift',
  databases: [DB],
  async run(ctx) {
    await ctx.pair.seed(SEED);
    await planned(ctx, 'mig', ['--databases', DB]);
    const first = await ctx.apply('mig');
    expect(first.code, first.out + first.err).toBe(0);
    const nothingYet = await ctx.cli(['catch-up', 'plans/mig.yaml', '--no-interactive']);
    expect(nothingYet.code, nothingYet.err).toBe(0);
    expect(nothingYet.out.trim().split('\n').at(-1)).toMatch(/^nothing changed since \d{4}-/);

    await ctx.pair.exec('source', CHANGES);
    const caught = await ctx.cli(['catch-up', 'plans/mig.yaml', '--no-interactive']);
    expect(caught.code, caught.err).toBe(0);
    expect(caught.out.trim().split('\n').at(-1)).toBe('plan: plans/mig-catchup-1.yaml');
    const plan = ctx.readPlan('mig-catchup-1');
    expect(plan.catchUp!.changes.map((c) => `${c.change} ${c.object}`).sort()).toEqual([
      `added ${DB}.events.p09`, `changed ${DB}.events.p02`, `replaced ${DB}.events.p04`, `schema-changed ${DB}.users`, `table-added ${DB}.audit`,
    ]);
    const review = await ctx.cli(['review', 'plans/mig-catchup-1.yaml']);
    expect(review.out).toMatch(new RegExp(`changed +${DB}\\.events\\.p02: version \\d+ -> \\d+`));
    expect(review.out).toContain(`table-added    ${DB}.audit`);
    const backups = plan.steps.flatMap((s) => (s.kind === 'backup' ? s.tables : []));
    expect(backups).toEqual(expect.arrayContaining([{ name: 'events', partitions: ['p02', 'p04', 'p09'] }, { name: 'audit' }]));

    // A target without force_replace cannot replace a table whose schema differs: the plan says
    // so, and its remedy (drop it on the target) lets the next catch-up bring it back whole.
    const refused = plan.excluded.find((e) => e.object === `${DB}.users`);
    const applied = await ctx.apply('mig-catchup-1');
    expect(applied.code, applied.out + applied.err).toBe(0);
    let last = 'mig-catchup-1';
    if (refused) {
      expect(refused.kind).toBe('schema-changed');
      await ctx.pair.exec('target', `DROP TABLE ${DB}.users`);
      const again = await ctx.cli(['catch-up', 'plans/mig-catchup-1.yaml', '--no-interactive']);
      expect(again.out.trim().split('\n').at(-1), again.err).toBe('plan: plans/mig-catchup-2.yaml');
      expect(ctx.readPlan('mig-catchup-2').catchUp!.changes.map((c) => `${c.change} ${c.object}`)).toEqual([`schema-changed ${DB}.users`]);
      const second = await ctx.apply('mig-catchup-2');
      expect(second.code, second.out + second.err).toBe(0);
      last = 'mig-catchup-2';
    } else expect(plan.steps.some((s) => s.kind === 'restore' && s.properties.atomic_restore === 'true')).toBe(true);

    const verified = await ctx.verify(last, ['--level', 'full']);
    expect(verified.code, verified.out + verified.err).toBe(0);
    for (const t of ['events', 'users', 'audit']) expect(await rowCount(ctx, 'target', `${DB}.${t}`), t).toBe(await rowCount(ctx, 'source', `${DB}.${t}`));
    const done = await ctx.cli(['catch-up', `plans/${last}.yaml`, '--no-interactive']);
    expect(done.code, done.err).toBe(0);
    expect(done.out.trim().split('\n').at(-1)).toMatch(/^nothing changed since /);

    // Drift: a table the next plan backs up is dropped on the source after planning.
    await ctx.pair.exec('source', `INSERT INTO ${DB}.stale VALUES (2); INSERT INTO ${DB}.audit VALUES (2, 'x')`);
    const drifting = await ctx.cli(['catch-up', `plans/${last}.yaml`, '--no-interactive', '--name', 'drifting']);
    expect(drifting.code, drifting.err).toBe(0);
    await ctx.pair.exec('source', `DROP TABLE ${DB}.stale`);
    const before = await ctx.query('source', `SHOW BACKUP FROM ${DB}`);
    const refusedRun = await ctx.apply('drifting');
    expect(refusedRun.code, refusedRun.out + refusedRun.err).toBe(4);
    expect(refusedRun.out + refusedRun.err).toMatch(new RegExp(`${DB}\\.stale dropped: make a new plan \\(or a catch-up\\), or apply --accept-drift`));
    expect(await ctx.query('source', `SHOW BACKUP FROM ${DB}`)).toHaveLength(before.length);
    const state = JSON.parse(readFileSync(join(ctx.dir, 'plans', 'drifting.state.json'), 'utf8')) as { steps: Record<string, { status: string }> };
    expect(Object.entries(state.steps).filter(([id]) => id.startsWith('backup:')).map(([, s]) => s.status)).toEqual(['pending']);
    // --accept-drift: the vanished table is skipped (and the report says so), the rest is copied.
    const accepted = await ctx.apply('drifting', ['--accept-drift']);
    expect(accepted.code, accepted.out + accepted.err).toBe(0);
    expect(accepted.out).toContain(`skipping what drifted on the source (--accept-drift): ${DB}.stale dropped`);
    expect(readFileSync(join(ctx.dir, 'plans', 'drifting.report.md'), 'utf8')).toContain(`skipped because they drifted on the source after planning (apply --accept-drift): ${DB}.stale`);
    expect(await rowCount(ctx, 'target', `${DB}.audit`)).toBe(await rowCount(ctx, 'source', `${DB}.audit`));
  },
};
