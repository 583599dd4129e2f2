// What a faithful Doris refuses, caught at plan time: a target table whose signature differs
// (rollups included) under atomic-replace, and a 4.0 colocated table split into restores that
// would land on a table already in a colocation group.
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/model.js';
import { indexDifference } from '../../src/catalog/preflight.js';
import { buildPlan, type PlanInput } from '../../src/plan/build-plan.js';
import type { RestoreStep } from '../../src/plan/schema.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aPartitionedTable, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;
const OPTIONS: PlanInput['options'] = { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 10 * GiB, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'atomic-replace', maxAttempts: 3 };
const REF = { host: 'h', port: 9030, user: 'root', passwordEnv: 'P', tls: false };
const planFor = (catalog: Catalog, over: Partial<PlanInput> = {}) =>
  buildPlan({
    name: 's', now: '2026-11-24T08:00:00.000Z', source: { catalog, ref: REF }, target: { facts: targetFacts(), ref: REF },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
    options: OPTIONS, selection: {}, ...over,
  });

describe('the whole signature of an existing target table', () => {
  const base = new Map([['(base)', 'k INT Yes true NULL ']]);
  it('names a rollup only one side has, or one whose columns differ', () => {
    expect(indexDifference(base, base)).toBeUndefined();
    expect(indexDifference(new Map([...base, ['r1', 'k INT Yes true NULL ']]), base)).toBe('rollups differ: source (r1), target (none)');
    expect(indexDifference(new Map([...base, ['r1', 'k INT Yes true NULL ']]), new Map([...base, ['r1', 'k BIGINT Yes true NULL ']]))).toContain('rollup r1 columns differ');
  });

  it('atomic-replace adds force_replace where the target has it, and refuses at plan time (exit 4) where it has not', () => {
    const catalog = aCatalog('2.1.9').withDb('s', { with: [aTable('t'), aTable('same')] }).build();
    const existingTables = [{ database: 's', name: 't', difference: 'rollups differ: source (r1), target (none)' }, { database: 's', name: 'same' }];
    const plan = planFor(catalog, { target: { facts: targetFacts('2.1.9', { existingDatabases: ['s'], existingTables }), ref: REF } });
    const restore = plan.steps.find((s): s is RestoreStep => s.kind === 'restore')!;
    expect(restore.properties).toMatchObject({ atomic_restore: 'true', force_replace: 'true' });
    let refused: unknown;
    try {
      planFor(catalog, { target: { facts: targetFacts('2.1.7', { existingDatabases: ['s'], existingTables }), ref: REF } });
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({ exitCode: 4 });
    expect((refused as Error).message).toContain('s.t (rollups differ: source (r1), target (none)): replacing a table with a different schema needs force_replace');
  });
});

describe('4.0 -> 4.0 colocated tables', () => {
  it('restores a colocated table bigger than the batch size whole, with reserve_colocate, and says why', () => {
    const big = { ...aPartitionedTable('big', 4, 5 * GiB), colocateGroup: 'g' };
    const other = aPartitionedTable('other', 4, 5 * GiB);
    const catalog = aCatalog('4.0.1').withDb('s', { with: [big, other] })
      .with((c) => c.colocateGroups.push({ database: 's', name: 'g', buckets: 4, replicationAllocation: 'tag.location.default: 1', tables: ['big'] }))
      .build();
    const plan = planFor(catalog, { target: { facts: targetFacts('4.0.1'), ref: REF }, options: { ...OPTIONS, conflicts: 'refuse' } });
    const restores = plan.steps.filter((s): s is RestoreStep => s.kind === 'restore');
    const ofBig = restores.filter((r) => r.tables.some((t) => t.name === 'big'));
    expect(ofBig).toHaveLength(1);
    expect(ofBig[0]!.tables).toEqual([{ name: 'big' }]);
    expect(ofBig[0]!.properties.reserve_colocate).toBe('true');
    expect(restores.filter((r) => r.tables.some((t) => t.name === 'other')).length).toBeGreaterThan(1);
    expect(plan.warnings.join('\n')).toContain('s.big is bigger than the batch size but colocated (group g)');
  });
});
