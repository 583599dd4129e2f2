// Planned follow-ups: they act on the table as the target names it (an alias included), colocation
// members join in group order, and dynamic-partition tables get the plan's replication for the
// partitions their scheduler adds.
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/model.js';
import { buildPlan, type PlanInput } from '../../src/plan/build-plan.js';
import type { Step } from '../../src/plan/schema.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aPartitionedTable, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;
const OPTIONS: PlanInput['options'] = { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 100 * GiB, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 };
const REF = { host: 'h', port: 9030, user: 'root', passwordEnv: 'P', tls: false };
const planFor = (catalog: Catalog, over: Partial<PlanInput> = {}) =>
  buildPlan({
    name: 'f', now: '2026-11-24T08:00:00.000Z', source: { catalog, ref: REF }, target: { facts: targetFacts(), ref: REF },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
    options: OPTIONS, selection: {}, ...over,
  });
type FollowUp = Extract<Step, { kind: 'colocate' | 'dynamic-partition' | 'mtmv' }>;
const followUps = (steps: Step[]): FollowUp[] => steps.filter((s): s is FollowUp => s.kind === 'colocate' || s.kind === 'dynamic-partition' || s.kind === 'mtmv');

describe('follow-ups', () => {
  it('put an aliased table in its colocation group under its alias, never the table it stepped around', () => {
    const catalog = aCatalog().withDb('s', { with: [aTable('a', { colocateGroup: 'g' }), aTable('b', { colocateGroup: 'g' })] })
      .with((c) => c.colocateGroups.push({ database: 's', name: 'g', buckets: 4, replicationAllocation: 'tag.location.default: 3', tables: ['a', 'b'] }))
      .build();
    const plan = planFor(catalog, { options: { ...OPTIONS, conflicts: 'alias' }, target: { facts: targetFacts('3.0.3', { existingDatabases: ['s'], existingTables: [{ database: 's', name: 'a' }] }), ref: REF } });
    expect(followUps(plan.steps).map((s) => [s.id, s.sql, s.dependsOn])).toEqual([
      ['colocate:s:a_migrated', ['ALTER TABLE `s`.`a_migrated` SET ("colocate_with" = "g")'], ['restore:s:1']],
      ['colocate:s:b', ['ALTER TABLE `s`.`b` SET ("colocate_with" = "g")'], ['restore:s:1', 'colocate:s:a_migrated']],
    ]);
  });

  it('give a dynamic-partition table the planned replication when the source set its own', () => {
    const catalog = aCatalog().withDb('s', {
      with: [
        { ...aPartitionedTable('explicit', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY', replication_num: '3' } },
        { ...aPartitionedTable('same', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY', replication_allocation: 'tag.location.default: 1' } },
        { ...aPartitionedTable('unset', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY' } },
      ],
    }).build();
    const plan = planFor(catalog);
    expect(followUps(plan.steps).map((s) => [s.id, s.sql, s.expect, s.title])).toEqual([
      ['dynamic-partition:s:explicit', ['ALTER TABLE `s`.`explicit` SET ("dynamic_partition.replication_allocation" = "tag.location.default: 1")'], { 'dynamic_partition.replication_allocation': 'tag.location.default: 1' }, 'give new partitions of s.explicit the planned replication'],
    ]);
    // A plan that keeps the source's replication leaves them alone.
    expect(followUps(planFor(catalog, { options: { ...OPTIONS, replication: { reserve: true } } }).steps)).toEqual([]);
  });

  it('set the planned replication before switching a split table back on, in one statement', () => {
    const catalog = aCatalog().withDb('s', { with: [{ ...aPartitionedTable('ev', 3, 60 * GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY', replication_allocation: 'tag.location.default: 3' } }] }).build();
    const plan = planFor(catalog);
    const restores = plan.steps.filter((s) => s.kind === 'restore').map((s) => s.id);
    expect(restores.length).toBeGreaterThan(1);
    expect(followUps(plan.steps).map((s) => [s.id, s.sql, s.dependsOn, s.title])).toEqual([
      ['dynamic-partition:s:ev', ['ALTER TABLE `s`.`ev` SET ("dynamic_partition.replication_allocation" = "tag.location.default: 1", "dynamic_partition.enable" = "true")'], restores,
        'give new partitions of s.ev the planned replication and switch dynamic partitioning of s.ev back on'],
    ]);
  });

  it('warn when an async MV reads a table restored under an alias', () => {
    const catalog = aCatalog('3.0.3').withDb('s', {
      with: [aTable('orders')],
      db: { asyncMaterializedViews: [{ name: 'mv', createSql: 'CREATE MATERIALIZED VIEW mv BUILD IMMEDIATE REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 2 AS SELECT id FROM s.orders', baseTables: [{ database: 's', name: 'orders' }] }] },
    }).build();
    const plan = planFor(catalog, { options: { ...OPTIONS, conflicts: 'alias' }, target: { facts: targetFacts('3.0.3', { existingDatabases: ['s'], existingTables: [{ database: 's', name: 'orders' }] }), ref: REF } });
    expect(plan.warnings.join('\n')).toContain('async MV s.mv reads s.orders (restored as orders_migrated)');
  });

  it('recreate an async MV with the plan\'s replication, not the source\'s', () => {
    const createSql = 'CREATE MATERIALIZED VIEW mv\nBUILD IMMEDIATE REFRESH AUTO ON MANUAL\nDISTRIBUTED BY RANDOM BUCKETS 2\nPROPERTIES (\n"replication_allocation" = "tag.location.default: 3",\n"storage_medium" = "hdd"\n)\nAS SELECT id FROM s.orders';
    const catalog = aCatalog('3.0.3').withDb('s', { with: [aTable('orders')], db: { asyncMaterializedViews: [{ name: 'mv', createSql, baseTables: [{ database: 's', name: 'orders' }] }] } }).build();
    const [mv] = followUps(planFor(catalog).steps).filter((s) => s.kind === 'mtmv');
    expect(mv!.sql[0]).toContain('PROPERTIES ("storage_medium" = "hdd", "replication_num" = "1")\nAS SELECT id FROM s.orders');
    expect(mv!.sql[0]).not.toContain('tag.location.default: 3');
  });

  it('leave out an async MV whose base tables the plan does not bring, with reason and remedy, and MVs built on it', () => {
    const catalog = aCatalog('3.0.3')
      .withDb('a', { with: [aTable('t')] })
      .withDb('b', {
        with: [aTable('u')],
        db: {
          asyncMaterializedViews: [
            { name: 'mv1', createSql: 'CREATE MATERIALIZED VIEW mv1 BUILD IMMEDIATE AS SELECT k FROM a.t', baseTables: [{ database: 'a', name: 't' }] },
            { name: 'mv2', createSql: 'CREATE MATERIALIZED VIEW mv2 BUILD IMMEDIATE AS SELECT k FROM b.mv1', baseTables: [{ database: 'b', name: 'mv1' }] },
            { name: 'mv3', createSql: 'CREATE MATERIALIZED VIEW mv3 BUILD IMMEDIATE AS SELECT k FROM b.u', baseTables: [{ database: 'b', name: 'u' }] },
          ],
        },
      })
      .build();
    const plan = planFor(catalog, { selection: { databases: ['b'] } });
    expect(followUps(plan.steps).filter((s) => s.kind === 'mtmv').map((s) => s.id)).toEqual(['mtmv:b:mv3']);
    const left = plan.excluded.filter((e) => e.kind === 'async-mv' && e.object !== 'b.mv3');
    expect(left.map((e) => [e.object, e.reason])).toEqual([
      ['b.mv1', expect.stringContaining('reading a.t, which this plan does not bring to the target')],
      ['b.mv2', expect.stringContaining('reading b.mv1')],
    ]);
    expect(left[0]!.remedy).toContain('migrate a.t too');
  });
});
