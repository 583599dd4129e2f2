// The comparison rules of `verify`, over hand-built catalogs: what is a difference and what Doris
// or the plan changes on purpose.
import { describe, expect, it } from 'vitest';
import type { Catalog, Table } from '../../src/catalog/model.js';
import { buildPlan, type PlanInput } from '../../src/plan/build-plan.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { compareMigration, rowKey, uncheckedAspects, type Observed } from '../../src/verify/compare.js';
import { verificationText } from '../../src/verify/render-text.js';
import { verifyScope } from '../../src/verify/scope.js';
import { aCatalog, aPartitionedTable, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;
const OPTIONS: PlanInput['options'] = { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 100 * GiB, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 };
const DST = { host: 'dst', port: 9030, user: 'root', passwordEnv: 'P', tls: false };
const planFor = (catalog: Catalog, over: Partial<PlanInput> = {}) =>
  buildPlan({
    name: 'v', now: '2026-11-24T08:00:00.000Z',
    source: { catalog, ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
    options: OPTIONS,
    selection: {},
    ...over,
  });

/** The target as a faithful restore would leave it: same tables under the target names, replication as planned. */
function restored(catalog: Catalog, renames: Record<string, string> = {}, edit: (t: Table, db: string) => void = () => undefined): Catalog {
  const c = structuredClone(catalog);
  c.cluster.version = targetFacts().cluster.version;
  for (const d of c.databases) {
    d.name = renames[d.name] ?? d.name;
    for (const t of d.tables) {
      t.replicationNum = 1;
      t.replicationAllocation = 'tag.location.default: 1';
      edit(t, d.name);
    }
  }
  return c;
}

const observed = (catalog: Catalog, counts: Record<string, number> = {}): Observed => ({
  catalog,
  rows: new Map(Object.entries(counts).map(([k, v]) => [k.split('.').join('\u0000'), v])),
  rollups: new Map(),
});

describe('compareMigration', () => {
  const source = aCatalog('3.0.3')
    .withDb('sales', { with: [aTable('orders', { replicationNum: 3, replicationAllocation: 'tag.location.default: 3' }), aPartitionedTable('events', 3, GiB)] })
    .build();

  it('expects the replication the plan asked for, not the source\'s', () => {
    const plan = planFor(source);
    const diffs = compareMigration(plan, verifyScope(plan), observed(source), observed(restored(source)), 'quick');
    expect(diffs).toEqual([]);
    const kept = restored(source, {}, (t) => { if (t.name === 'orders') t.replicationNum = 3; });
    expect(compareMigration(plan, verifyScope(plan), observed(source), observed(kept), 'quick')).toEqual([
      { object: 'sales.orders', aspect: 'property', expected: 'replication_num 1', actual: 'replication_num 3' },
    ]);
  });

  it('compares under the target database names and counts rows per partition on full', () => {
    const plan = planFor(source, { selection: { renames: { sales: 'sales_v2' } } });
    const counts = { 'sales.orders': 5, 'sales.events.p0': 1, 'sales.events.p1': 2, 'sales.events.p2': 3 };
    const targetCounts = { 'sales_v2.orders': 5, 'sales_v2.events.p0': 1, 'sales_v2.events.p1': 2, 'sales_v2.events.p2': 4 };
    const diffs = compareMigration(plan, verifyScope(plan), observed(source, counts), observed(restored(source, { sales: 'sales_v2' }), targetCounts), 'full');
    expect(diffs).toEqual([{ object: 'sales_v2.events.p2', aspect: 'rows', expected: '3 rows', actual: '4 rows' }]);
    expect(rowKey('a', 'b', 'c')).toBe('a\u0000b\u0000c');
  });

  it('compares an aliased table under its alias and leaves the table it stepped around alone', () => {
    const plan = planFor(source, {
      options: { ...OPTIONS, conflicts: 'alias' },
      target: { facts: targetFacts('3.0.3', { existingDatabases: ['sales'], existingTables: [{ database: 'sales', name: 'orders', difference: 'columns differ' }] }), ref: DST },
    });
    const scoped = verifyScope(plan).tables.find((t) => t.name === 'orders')!;
    expect(scoped.targetName).toBe('orders_migrated');
    // The target: the restored copy as orders_migrated, beside an unrelated table called orders.
    const dst = restored(source);
    const sales = dst.databases[0]!;
    sales.tables = sales.tables.map((t) => (t.name === 'orders' ? { ...t, name: 'orders_migrated' } : t));
    sales.tables.push(aTable('orders', { columns: [{ name: 'other', type: 'varchar(8)', nullable: true, isKey: true }] }));
    const counts = { 'sales.orders': 5, 'sales.events': 7 };
    const targetCounts = { 'sales.orders_migrated': 5, 'sales.orders': 99, 'sales.events': 7 };
    expect(compareMigration(plan, verifyScope(plan), observed(source, counts), observed(dst, targetCounts), 'quick')).toEqual([]);
    targetCounts['sales.orders_migrated'] = 4;
    expect(compareMigration(plan, verifyScope(plan), observed(source, counts), observed(dst, targetCounts), 'quick')).toEqual([
      { object: 'sales.orders_migrated', aspect: 'rows', expected: '5 rows', actual: '4 rows' },
    ]);
  });

  it('expects the source\'s replication when the plan reserves it', () => {
    const plan = planFor(source, { options: { ...OPTIONS, replication: { reserve: true } } });
    const same = restored(source, {}, (t) => {
      t.replicationNum = 3;
      t.replicationAllocation = t.name === 'orders' ? 'tag.location.default: 3' : 'tag.location.default:3';
    });
    const sameSource = structuredClone(source);
    for (const t of sameSource.databases[0]!.tables) t.replicationAllocation = 'tag.location.default: 3';
    expect(compareMigration(plan, verifyScope(plan), observed(sameSource), observed(same), 'quick')).toEqual([]);
    expect(compareMigration(plan, verifyScope(plan), observed(sameSource), observed(restored(source)), 'quick')).toEqual([
      { object: 'sales.events', aspect: 'property', expected: 'replication_allocation tag.location.default: 3', actual: 'replication_allocation tag.location.default: 1' },
      { object: 'sales.orders', aspect: 'property', expected: 'replication_allocation tag.location.default: 3', actual: 'replication_allocation tag.location.default: 1' },
    ]);
  });

  it('reports a missing database once instead of every table in it', () => {
    const plan = planFor(source);
    const empty = restored(source);
    empty.databases = [];
    expect(compareMigration(plan, verifyScope(plan), observed(source), observed(empty), 'quick')).toEqual([
      { object: 'sales', aspect: 'missing', expected: 'database', actual: 'no such database on the target' },
    ]);
  });

  it('lets a dynamic-partition table grow new partitions, but not a plain one', () => {
    const dyn = aCatalog('3.0.3').withDb('s', { with: [{ ...aPartitionedTable('ev', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY' } }, aPartitionedTable('plain', 2, GiB)] }).build();
    const plan = planFor(dyn);
    const grown = restored(dyn, {}, (t) => t.partitions.push({ name: 'p9', range: '[9, 10)', dataBytes: 0 }));
    expect(compareMigration(plan, verifyScope(plan), observed(dyn), observed(grown), 'quick')).toEqual([
      { object: 's.plain', aspect: 'partitions', expected: "only the source's partitions", actual: 'also p9' },
    ]);
  });

  it('expects the planned replication in dynamic_partition.replication_*, whether Doris derives it or kept the source\'s', () => {
    const dyn = { enable: 'true', time_unit: 'DAY', replication_allocation: 'tag.location.default: 3' };
    const src = aCatalog('3.0.3').withDb('s', { with: [{ ...aPartitionedTable('ev', 2, GiB), replicationNum: 3, replicationAllocation: 'tag.location.default: 3', dynamicPartition: dyn }] }).build();
    const plan = planFor(src);
    // Never set explicitly: Doris prints the table's (restored) allocation, which is the plan's.
    const derived = restored(src, {}, (t) => void (t.dynamicPartition = { ...dyn, replication_allocation: 'tag.location.default: 1' }));
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(derived), 'quick')).toEqual([]);
    // Set explicitly on the source and kept by RESTORE: new partitions would get 3 replicas.
    const kept = restored(src);
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(kept), 'quick')).toEqual([
      { object: 's.ev', aspect: 'property', expected: 'dynamic_partition.replication_allocation tag.location.default: 1', actual: 'dynamic_partition.replication_allocation tag.location.default: 3' },
    ]);
    const reserved = planFor(src, { options: { ...OPTIONS, replication: { reserve: true } } });
    expect(compareMigration(reserved, verifyScope(reserved), observed(src), observed(derived), 'quick').map((d) => d.expected)).toContain('dynamic_partition.replication_allocation tag.location.default: 3');
  });

  it('reads an allocation by meaning: spacing and tag order are no difference', () => {
    const plan = planFor(source, { options: { ...OPTIONS, replication: { allocation: 'tag.location.b:1,tag.location.a:2' } } });
    const dst = restored(source, {}, (t) => {
      t.replicationNum = 3;
      t.replicationAllocation = 'tag.location.a: 2, tag.location.b: 1';
    });
    expect(compareMigration(plan, verifyScope(plan), observed(source), observed(dst), 'quick')).toEqual([]);
  });

  it('names columns, key model, buckets, colocation and a table that became a view', () => {
    const src = aCatalog('3.0.3').withDb('s', { with: [aTable('a', { colocateGroup: 'g' }), aTable('b')] }).build();
    const plan = planFor(src);
    const dst = restored(src, {}, (t) => {
      if (t.name === 'a') {
        t.columns = [...t.columns, { name: 'extra', type: 'int', nullable: true, isKey: false }];
        t.keyModel = 'UNIQUE';
        t.distribution = { type: 'HASH', columns: ['id'], buckets: 8 };
        delete t.colocateGroup;
      }
    });
    dst.databases[0]!.tables = dst.databases[0]!.tables.filter((t) => t.name !== 'b');
    dst.databases[0]!.views.push({ name: 'b', createSql: 'CREATE VIEW b AS SELECT 1', references: [] });
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(dst), 'quick').map((d) => `${d.object} ${d.aspect}: ${d.expected} | ${d.actual}`)).toEqual([
      's.a columns: id int NOT NULL | id int NOT NULL, extra int',
      's.a key-model: DUPLICATE KEY(id) | UNIQUE KEY(id)',
      's.a buckets: 4 buckets | 8 buckets',
      's.a property: colocate_with g | colocate_with (none)',
      's.b missing: table | a view, not a table',
    ]);
  });

  it('compares dynamic-partition keys by meaning: a key absent on one side is its default', () => {
    // The source read table_properties (stored keys only); the target printed all 13 (SHOW CREATE TABLE).
    const src = aCatalog('3.0.3').withDb('s', { with: [{ ...aPartitionedTable('d', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY', start: '-7', end: '3', prefix: 'p', buckets: '4', history_partition_num: '-1', reserved_history_periods: 'NULL', create_history_partition: 'false', time_zone: 'Asia/Shanghai' } }] }).build();
    const plan = planFor(src);
    const printed = restored(src, {}, (t) => {
      t.dynamicPartition = { ...t.dynamicPartition, hot_partition_num: '0', storage_policy: '', replication_allocation: 'tag.location.default: 1', time_unit: 'day' };
    });
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(printed), 'quick')).toEqual([]);
    const hot = restored(src, {}, (t) => { t.dynamicPartition = { ...t.dynamicPartition, hot_partition_num: '2' }; });
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(hot), 'quick')).toEqual([
      { object: 's.d', aspect: 'property', expected: 'dynamic_partition.hot_partition_num (not set)', actual: 'dynamic_partition.hot_partition_num 2' },
    ]);
  });

  it('names what it could not check, and why, instead of skipping it', () => {
    const plan = planFor(source);
    const dst = restored(source, {}, (t) => {
      delete t.replicationNum;
      delete t.replicationAllocation;
    });
    dst.cluster.isAdmin = false;
    expect(uncheckedAspects(verifyScope(plan), observed(source), observed(dst))).toEqual([
      { object: '*', aspect: 'property', reason: "colocate_with: SHOW PROC '/colocation_group' needs ADMIN, which the target user lacks" },
      { object: 'sales.events', aspect: 'property', reason: 'replication: Doris 3.0.3 reported no replica allocation for the table' },
      { object: 'sales.orders', aspect: 'property', reason: 'replication: Doris 3.0.3 reported no replica allocation for the table' },
    ]);
    expect(verificationText({ level: 'quick', checkedAt: 'x', databases: 1, tables: 2, views: 0, rows: 0, differences: [], notChecked: uncheckedAspects(verifyScope(plan), observed(source), observed(dst)) }))
      .toContain('not checked: sales.orders replication: Doris 3.0.3 reported no replica allocation for the table');
  });

  it('does not miss an empty partition the source\'s dynamic-partition scheduler made after the backup, but does one holding rows', () => {
    const events = { ...aPartitionedTable('d', 2, GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY' } };
    const src = aCatalog('3.0.3').withDb('s', { with: [events] }).build();
    const plan = planFor(src);
    const dst = restored(src);
    src.databases[0]!.tables[0]!.partitions.push({ name: 'p20261208', range: '[x, y)', dataBytes: 0, rows: 0 });
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(dst), 'quick')).toEqual([]);
    src.databases[0]!.tables[0]!.partitions.push({ name: 'p20261209', range: '[y, z)', dataBytes: 10, rows: 1 });
    expect(compareMigration(plan, verifyScope(plan), observed(src), observed(dst), 'quick').map((d) => d.object)).toEqual(['s.d.p20261209']);
  });
});

describe('verify of a plan that copies nothing', () => {
  it('says there was nothing to compare, not "match"', () => {
    const text = verificationText({ level: 'quick', checkedAt: 'x', databases: 1, tables: 0, views: 0, rows: 0, differences: [] });
    expect(text).toBe('verified 1 database(s), 0 table(s), 0 view(s), 0 source rows (quick): nothing to compare (the plan copies no table or view)\n');
    expect(text).not.toContain('match');
  });
});
