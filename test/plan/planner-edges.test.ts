// Planner edge cases: async MVs and their databases, atomic replace of split tables, aliases,
// renames and selections that name nothing, key order of the file.
import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanInput } from '../../src/plan/build-plan.js';
import { diffPlans } from '../../src/plan/fingerprint.js';
import { renameDatabases, targetMvStatement } from '../../src/plan/mv-ddl.js';
import { planFromYaml, planToYaml } from '../../src/plan/yaml.js';
import { renderText } from '../../src/plan/render.js';
import type { Plan, RestoreStep } from '../../src/plan/schema.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aPartitionedTable, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: 'edge',
  now: '2026-11-24T08:00:00.000Z',
  source: { catalog: aCatalog().withDb('sales', { tables: 3 }).build(), ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
  target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
  repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
  options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 100 * GiB, jobTimeoutSeconds: 86400, replication: { num: 3 }, conflicts: 'refuse', maxAttempts: 3 },
  selection: {},
  ...over,
});
const withCatalog = (catalog: PlanInput['source']['catalog'], over: Partial<PlanInput> = {}) => input({ source: { ...input().source, catalog }, ...over });
const step = (plan: Plan, id: string) => {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in ${plan.steps.map((x) => x.id).join(', ')}`);
  return s;
};
const mv = (name: string, sql: string, bases: [string, string][]) => ({ name, createSql: sql, baseTables: bases.map(([database, n]) => ({ database, name: n })) });

describe('async materialized views', () => {
  it('creates the database of a database holding only MVs, and waits for it', () => {
    const catalog = aCatalog()
      .withDb('ods', { tables: 1 })
      .withDb('marts', { db: { asyncMaterializedViews: [mv('m1', 'CREATE MATERIALIZED VIEW m1 BUILD IMMEDIATE AS SELECT * FROM ods.t000', [['ods', 't000']])] } })
      .build();
    const plan = buildPlan(withCatalog(catalog, { selection: { renames: { marts: 'marts2' } } }));
    expect(step(plan, 'db:marts2')).toMatchObject({ kind: 'create-database', database: 'marts2' });
    expect(step(plan, 'mtmv:marts2:m1').dependsOn).toEqual(['db:marts2', 'restore:ods:1']);
    expect(plan.databases.map((d) => d.target)).toEqual(['marts2', 'ods']);
  });

  it('orders an MV built on another MV after it, without warning that its base is missing', () => {
    const catalog = aCatalog()
      .withDb('bi', {
        tables: 1,
        db: {
          asyncMaterializedViews: [
            mv('top', 'CREATE MATERIALIZED VIEW top AS SELECT * FROM bi.base_mv', [['bi', 'base_mv']]),
            mv('base_mv', 'CREATE MATERIALIZED VIEW base_mv AS SELECT * FROM bi.t000', [['bi', 't000']]),
          ],
        },
      })
      .build();
    const plan = buildPlan(withCatalog(catalog));
    const ids = plan.steps.map((s) => s.id);
    expect(ids.indexOf('mtmv:bi:base_mv')).toBeLessThan(ids.indexOf('mtmv:bi:top'));
    expect(step(plan, 'mtmv:bi:top').dependsOn).toContain('mtmv:bi:base_mv');
    expect(plan.warnings).toEqual([]);
  });

  it('replays only the MVs the selection keeps', () => {
    const catalog = aCatalog()
      .withDb('bi', { tables: 2, db: { asyncMaterializedViews: [mv('a', 'CREATE MATERIALIZED VIEW a AS SELECT 1', []), mv('b', 'CREATE MATERIALIZED VIEW b AS SELECT 1', [])] } })
      .build();
    const plan = buildPlan(withCatalog(catalog, { selection: { exclude: ['bi.a'] } }));
    expect(plan.steps.filter((s) => s.kind === 'mtmv').map((s) => s.id)).toEqual(['mtmv:bi:b']);
    expect(plan.excluded.find((e) => e.object === 'bi.a')?.kind).toBe('user-excluded');
  });

  it('quotes the target database of an unqualified MV name with the one quoting function', () => {
    const catalog = aCatalog().withDb('a`b', { tables: 1, db: { asyncMaterializedViews: [mv('m', 'CREATE MATERIALIZED VIEW m AS SELECT 1', [])] } }).build();
    const plan = buildPlan(withCatalog(catalog));
    expect((step(plan, 'mtmv:a`b:m') as { sql: string[] }).sql[0]).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS `a``b`\.`m`\nPROPERTIES \("replication_num" = "3"\)\nAS SELECT 1$/);
  });
});

describe('MV statements for the target', () => {
  it('qualifies the MV with its target database and renames qualifiers, whatever the names hold', () => {
    const renames = { 'src-db': 'dst$1', plain: 'new db' };
    expect(targetMvStatement('CREATE MATERIALIZED VIEW `src-db`.`m``x` AS SELECT * FROM `src-db`.t JOIN plain.u', 'dst$1', renames)).toBe(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS `dst$1`.`m``x` AS SELECT * FROM `dst$1`.t JOIN `new db`.u',
    );
    expect(targetMvStatement('create materialized view if not exists m1\nBUILD IMMEDIATE AS SELECT 1', 'd', {})).toBe('CREATE MATERIALIZED VIEW IF NOT EXISTS `d`.`m1`\nBUILD IMMEDIATE AS SELECT 1');
    expect(renameDatabases('SELECT * FROM xplain.t, plain.t', { plain: 'p2' })).toBe('SELECT * FROM xplain.t, `p2`.t');
  });
});

describe('dynamic partitions', () => {
  it('switches a split table back on after its last part instead of during the restores', () => {
    const huge = { ...aPartitionedTable('ev', 3, 60 * GiB), dynamicPartition: { enable: 'true', time_unit: 'DAY' } };
    const catalog = aCatalog().withDb('s', { with: [huge, aTable('small', { dynamicPartition: { enable: 'true' } })] }).build();
    const plan = buildPlan(withCatalog(catalog));
    const restores = plan.steps.filter((s): s is RestoreStep => s.kind === 'restore');
    expect(restores.map((r) => [r.tables.map((t) => t.name).join(','), r.properties.reserve_dynamic_partition_enable])).toEqual([
      ['ev', undefined], ['ev', undefined], ['ev', undefined], ['small', 'true'],
    ]);
    expect(step(plan, 'dynamic-partition:s:ev')).toMatchObject({
      dependsOn: ['restore:s:1', 'restore:s:2', 'restore:s:3'],
      sql: ['ALTER TABLE `s`.`ev` SET ("dynamic_partition.enable" = "true")'],
    });
    expect(step(plan, 'verify').dependsOn).toContain('dynamic-partition:s:ev');
  });
});

describe('conflicts on the target', () => {
  it('atomic-replace of a table split by partitions swaps once, then adds the other parts', () => {
    const catalog = aCatalog().withDb('s', { with: [aPartitionedTable('huge', 4, 60 * GiB)] }).build();
    const facts = targetFacts('3.0.3', { existingDatabases: ['s'], existingTables: [{ database: 's', name: 'huge' }] });
    const plan = buildPlan(withCatalog(catalog, { target: { ...input().target, facts }, options: { ...input().options, conflicts: 'atomic-replace' } }));
    const restores = plan.steps.filter((s): s is RestoreStep => s.kind === 'restore');
    expect(restores.map((r) => r.properties.atomic_restore)).toEqual(['true', undefined, undefined, undefined]);
    for (const r of restores.slice(1)) expect(r.dependsOn).toContain('restore:s:1');
  });

  it('believes what the target said it accepts over its version table', () => {
    const catalog = aCatalog().withDb('s', { with: [aTable('t')] }).build();
    const clash = { existingDatabases: ['s'], existingTables: [{ database: 's', name: 't' }] };
    const plain = targetFacts('2.1.6', clash); // the table says 2.1.6 has no atomic_restore
    expect(() => buildPlan(withCatalog(catalog, { target: { ...input().target, facts: plain }, options: { ...input().options, conflicts: 'atomic-replace' } }))).toThrow(/needs atomic_restore/);
    const probed = targetFacts('2.1.6', { ...clash, restoreProperties: { atomic_restore: true, force_replace: undefined } });
    const plan = buildPlan(withCatalog(catalog, { target: { ...input().target, facts: probed }, options: { ...input().options, conflicts: 'atomic-replace' } }));
    expect(plan.steps.filter((s): s is RestoreStep => s.kind === 'restore').map((r) => r.properties.atomic_restore)).toEqual(['true']);
  });

  it('picks an alias that neither the target nor the source already uses', () => {
    const catalog = aCatalog().withDb('s', { with: [aTable('t'), aTable('t_migrated')] }).build();
    const facts = targetFacts('3.0.3', { existingTables: [{ database: 's', name: 't' }, { database: 's', name: 't_migrated2' }] });
    const plan = buildPlan(withCatalog(catalog, { target: { ...input().target, facts }, options: { ...input().options, conflicts: 'alias' } }));
    const tables = plan.steps.filter((s): s is RestoreStep => s.kind === 'restore').flatMap((r) => r.tables);
    expect(tables).toEqual([{ name: 't', alias: 't_migrated3' }, { name: 't_migrated' }]);
  });
});

describe('selection', () => {
  it.each([
    ['two databases renamed onto one', { databases: ['a', 'b'], renames: { a: 'x', b: 'x' } }, /--rename maps both a and b to x/],
    ['a rename of an unknown database', { renames: { nope: 'x' } }, /rename names 'nope', which is not a user database/],
    ['an unknown table', { tables: ['a.t000', 'a.nope'] }, /--tables names 'a\.nope', which is not on the source/],
    ['an unknown exclusion', { exclude: ['a.nope'] }, /--exclude names 'a\.nope', which is not on the source/],
  ])('refuses %s with exit 2', (_what, selection, message) => {
    const catalog = aCatalog().withDb('a', { tables: 1 }).withDb('b', { tables: 1 }).build();
    try {
      buildPlan(withCatalog(catalog, { selection }));
      throw new Error('expected a usage error');
    } catch (e) {
      expect((e as Error).message).toMatch(message);
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('plan file text', () => {
  it('writes the same text for a plan and for the plan read back from that text', () => {
    const catalog = aCatalog().withDb('bi', { tables: 2, db: { asyncMaterializedViews: [mv('m', 'CREATE MATERIALIZED VIEW m AS SELECT 1', [])] } }).build();
    const text = planToYaml(buildPlan(withCatalog(catalog)));
    expect(planToYaml(planFromYaml(text))).toBe(text);
    // Schema order, not construction order: `dependsOn` right after `id` in every step.
    expect(text).toMatch(/- id: backup:bi:1\n\s+dependsOn:/);
  });

  it('names every top-level field that differs, not only steps', () => {
    const a = buildPlan(input());
    const b = buildPlan(input({ now: '2026-11-25T08:00:00.000Z', target: { ...input().target, facts: targetFacts('3.0.5') } }));
    expect(diffPlans(a, b)).toEqual(['id changed', 'createdAt changed', 'target changed']);
    expect(diffPlans(a, a)).toEqual([]);
  });
});

describe('silent gaps', () => {
  it('plans an empty source database: created on the target with its properties, listed in review', () => {
    const catalog = aCatalog().withDb('shop', { tables: 1 }).withDb('staging', { db: { properties: { 'replication_allocation': 'tag.location.default: 1' } } }).build();
    const plan = buildPlan(withCatalog(catalog));
    expect(plan.steps.find((s) => s.id === 'db:staging')).toMatchObject({ kind: 'create-database', database: 'staging', properties: { replication_allocation: 'tag.location.default: 1' } });
    expect(plan.databases.find((d) => d.source === 'staging')).toMatchObject({ tables: 0, bytes: 0 });
    expect(renderText(plan)).toMatch(/^ {2}staging: 0 tables?, 0 B$/m);
    expect(plan.warnings.filter((w) => w.startsWith('nothing to copy'))).toEqual([]);
  });

  it('warns when a plan is written with every selected table left out', () => {
    const catalog = aCatalog().withDb('s', { with: [aTable('t')] }).withDb('e').build();
    const facts = targetFacts('3.0.3', { existingTables: [{ database: 's', name: 't' }] });
    const plan = buildPlan(withCatalog(catalog, { target: { ...input().target, facts }, options: { ...input().options, conflicts: 'skip' } }));
    expect(plan.steps.filter((s) => s.kind === 'backup')).toEqual([]);
    expect(plan.warnings).toContain('nothing to copy: every selected table was left out (see "Left out"); this plan only creates the repository and databases on the target');
  });
});
