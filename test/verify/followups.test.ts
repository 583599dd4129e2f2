// Follow-ups are idempotent: run again (as after a crash between their statement and the
// checkpoint), each finds its effect in place, sends nothing, changes nothing, and the run still
// succeeds; one caught halfway (an MV created but never refreshed) finishes without recreating.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/schema.js';
import type { RunState } from '../../src/run/state-model.js';
import { parse } from 'yaml';
import { demoMigration, type Migration } from '../support/migration.js';

const followUp = (id: string) => /^(colocate|dynamic-partition|mtmv):/.test(id);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The target's catalog as a follow-up could change it; ALTER and REFRESH also move a table's updateTime. */
const targetShape = (m: Migration) =>
  JSON.stringify(Object.values(m.sandbox.target.engine.world.databases).map((d) => [d.name, Object.values(d.tables).map((t) => [t.name, t.id, t.type, t.properties, t.refreshState, t.updateTime, t.partitions.map((p) => [p.name, p.rows.length])])]));

const apply = (m: Migration, plan: string) => m.run(['apply', `plans/${plan}.yaml`, '--poll-interval', '0.02', '--yes']);

/** Marks the follow-ups (and verify) pending again, as if apply died right after their statements. */
function forgetFollowUps(m: Migration, plan: string): string[] {
  const statePath = join(m.dir, 'plans', `${plan}.state.json`);
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as RunState;
  const ids = Object.keys(state.steps).filter(followUp);
  for (const id of [...ids, 'verify']) state.steps[id] = { status: 'pending', attempt: 0, history: [] };
  writeFileSync(statePath, JSON.stringify(state));
  return ids;
}

describe('follow-ups of the demo migration', () => {
  let m: Migration;
  beforeAll(async () => {
    m = await demoMigration();
  }, 60_000);
  afterAll(() => m.dispose());

  it('run twice change nothing the second time', async () => {
    const first = await apply(m, 'mig');
    expect(first.code, first.out + first.err).toBe(0);
    // The target's clock stands still from here: its dynamic-partition scheduler (as Doris's) adds
    // a partition by itself when the simulated day turns, which is not a follow-up's doing.
    await m.sandbox.target.execute('ADMIN SIM PAUSE CLOCK');
    try {
      const before = targetShape(m);
      const ids = forgetFollowUps(m, 'mig');
      expect(ids.some((id) => id.startsWith('colocate:'))).toBe(true);
      expect(ids.some((id) => id.startsWith('mtmv:'))).toBe(true);

      const second = await apply(m, 'mig');
      expect(second.code, second.out + second.err).toBe(0);
      for (const id of ids) expect(second.out).toMatch(new RegExp(`done\\s+${escape(id)}\\s+\\(already in place\\)`));
      expect(targetShape(m)).toBe(before);
    } finally {
      await m.sandbox.target.execute('ADMIN SIM RESUME CLOCK');
    }
  });

  it('finish an async MV that was created but not refreshed, without recreating it', async () => {
    const target = m.sandbox.target;
    const mv = () => target.engine.world.databases.analytics!.tables.daily_revenue!;
    // Created by the follow-up's CREATE, then the run died before its REFRESH: a deferred build shows INIT.
    await target.execute('USE analytics; DROP MATERIALIZED VIEW daily_revenue; CREATE MATERIALIZED VIEW daily_revenue BUILD DEFERRED REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 2 PROPERTIES ("replication_num" = "1") AS SELECT order_date, sum(amount) AS revenue FROM sales.orders GROUP BY order_date;');
    const id = mv().id;
    expect(mv().refreshState).toBe('INIT');
    forgetFollowUps(m, 'mig');

    const rerun = await apply(m, 'mig');
    expect(rerun.code, rerun.out + rerun.err).toBe(0);
    expect(rerun.out).toMatch(/done\s+mtmv:analytics:daily_revenue\s+\(already there \(refresh state INIT\); refreshed\)/);
    expect(mv().id).toBe(id);
    expect(mv().refreshState).toBe('SUCCESS');
  });
});

describe('dynamic partitioning after a split table', () => {
  let m: Migration;
  beforeAll(async () => {
    m = await demoMigration({ databases: 'analytics' });
    // The source names its own replica count for new partitions; the plan asks for 1.
    await m.sandbox.source.execute('ALTER TABLE analytics.events SET ("dynamic_partition.replication_allocation" = "tag.location.default: 2")');
    // The same databases planned again with tiny jobs, so analytics.events is restored part by part.
    const planned = await m.run([
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/split', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--name', 'split',
      '--databases', 'analytics', '--batch-size', '1B', '--no-interactive',
    ]);
    expect(planned.code, planned.err).toBe(0);
  }, 60_000);
  afterAll(() => m.dispose());

  it('is switched back on with the planned replication once, and a rerun finds it so and sends nothing', async () => {
    const plan = parse(readFileSync(join(m.dir, 'plans', 'split.yaml'), 'utf8')) as Plan;
    expect(plan.steps.filter((s) => s.kind === 'restore' && s.tables.some((t) => t.name === 'events')).length, 'events restored in parts').toBeGreaterThan(1);
    expect(plan.steps.map((s) => s.id)).toContain('dynamic-partition:analytics:events');

    const first = await apply(m, 'split');
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toMatch(/done\s+dynamic-partition:analytics:events(?!\s+\(already)/);
    const events = () => m.sandbox.target.engine.world.databases.analytics!.tables.events!;
    expect(events().properties['dynamic_partition.enable']).toBe('true');
    expect(events().properties['dynamic_partition.replication_allocation']).toBe('tag.location.default: 1');
    const before = targetShape(m);

    forgetFollowUps(m, 'split');
    const second = await apply(m, 'split');
    expect(second.code, second.out + second.err).toBe(0);
    expect(second.out).toMatch(/done\s+dynamic-partition:analytics:events\s+\(already in place\)/);
    expect(targetShape(m)).toBe(before);
    expect((await m.run(['verify', 'plans/split.yaml', '--level', 'full'])).code).toBe(0);
  });
});
