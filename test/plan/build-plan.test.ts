// The pure planner over hand-built catalogs.
import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanInput } from '../../src/plan/build-plan.js';
import { diffPlans, fingerprintOf } from '../../src/plan/fingerprint.js';
import { backupLabel, attemptLabel } from '../../src/plan/labels.js';
import type { Plan, RestoreStep } from '../../src/plan/schema.js';
import { planFromYaml, planToYaml } from '../../src/plan/yaml.js';
import { renderMarkdown, renderSql, renderText } from '../../src/plan/render.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aPartitionedTable, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: 'test-plan',
  now: '2026-11-24T08:00:00.000Z',
  source: { catalog: aCatalog().withDb('sales', { tables: 3 }).build(), ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
  target: { facts: targetFacts(), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
  repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
  options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 100 * GiB, jobTimeoutSeconds: 86400, replication: { num: 3 }, conflicts: 'refuse', maxAttempts: 3 },
  selection: {},
  ...over,
});
const steps = (plan: Plan, kind: string) => plan.steps.filter((s) => s.kind === kind);

describe('buildPlan', () => {
  it('plans one shared repository, a database step, and backup -> restore chains', () => {
    const plan = buildPlan(input());
    expect(plan.steps.map((s) => s.id)).toEqual(['preflight', 'repo:source', 'repo:target', 'db:sales', 'backup:sales:1', 'restore:sales:1', 'verify']);
    expect(steps(plan, 'create-repository').map((s) => (s as { readOnly: boolean }).readOnly)).toEqual([false, true]);
    const restore = plan.steps.find((s) => s.id === 'restore:sales:1') as RestoreStep;
    expect(restore.dependsOn).toEqual(['backup:sales:1', 'db:sales', 'repo:target']);
    expect(restore.properties).toEqual({ replication_num: '3', timeout: '86400' });
  });

  it('batches tables under the size budget and splits a table bigger than the budget by partitions', () => {
    const catalog = aCatalog().withDb('big', { tables: 4, bytesEach: 40 * GiB, with: [aPartitionedTable('zz_huge', 10, 30 * GiB)] }).build();
    const plan = buildPlan(input({ source: { ...input().source, catalog } }));
    const backups = steps(plan, 'backup') as Extract<Plan['steps'][number], { kind: 'backup' }>[];
    expect(backups.map((b) => b.tables.map((t) => t.name + (t.partitions ? `[${t.partitions.join(',')}]` : '')))).toEqual([
      ['t000', 't001'],
      ['t002', 't003'],
      ['zz_huge[p0,p1,p2]'],
      ['zz_huge[p3,p4,p5]'],
      ['zz_huge[p6,p7,p8]'],
      ['zz_huge[p9]'],
    ]);
    expect(backups.every((b) => b.bytes <= 100 * GiB)).toBe(true);
    expect(new Set(backups.map((b) => b.label)).size).toBe(backups.length);
  });

  it('makes valid, unique, deterministic labels whatever the database is called', () => {
    const names = ['sales', 'sales-eu', 'sales_eu', 'データ', 'x'.repeat(200), 'a b`c'];
    const labels = names.map((n) => attemptLabel(backupLabel('dm2611240800', n, 12), 3));
    for (const l of labels) expect(l).toMatch(/^[-_A-Za-z0-9:]{1,128}$/);
    expect(new Set(labels).size).toBe(names.length);
    expect(backupLabel('p', 'sales', 1)).toBe(backupLabel('p', 'sales', 1));
  });

  it('leaves out what BACKUP cannot carry, each with reason and remedy, and replays async MVs', () => {
    const catalog = aCatalog()
      .withDb('ops', { tables: 1, with: [aTable('cold', { storagePolicy: 'p30' }), aTable('ext', { kind: 'external', engine: 'MySQL' }), aTable('tmp', { tempPartitions: ['tp1'] })] })
      .withDb('bi', {
        tables: 1,
        db: { asyncMaterializedViews: [{ name: 'mv1', createSql: 'CREATE MATERIALIZED VIEW `mv1`\nBUILD IMMEDIATE REFRESH AUTO ON MANUAL\nAS SELECT * FROM ops.t000', baseTables: [{ database: 'ops', name: 't000' }] }] },
      })
      .with((c) => c.externalCatalogs.push({ name: 'hive', type: 'hms' }))
      .build();
    const plan = buildPlan(input({ source: { ...input().source, catalog }, selection: { renames: { ops: 'ops_new' } } }));
    expect(plan.excluded.map((e) => [e.object, e.kind])).toEqual([
      ['information_schema', 'system-database'], ['mysql', 'system-database'], ['__internal_schema', 'system-database'], ['catalog:hive', 'external-catalog'],
      ['bi.mv1', 'async-mv'], ['ops.cold', 'storage-policy'], ['ops.ext', 'non-olap'], ['ops.tmp', 'temp-partition'],
    ]);
    for (const e of plan.excluded) expect(e.remedy.length).toBeGreaterThan(10);
    const mv = plan.steps.find((s) => s.kind === 'mtmv')!;
    expect(mv).toMatchObject({ id: 'mtmv:bi:mv1', dependsOn: ['db:bi', 'restore:ops_new:1'] });
    expect((mv as { sql: string[] }).sql[0]).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS `bi`.`mv1`');
    expect((mv as { sql: string[] }).sql[0]).toContain('FROM `ops_new`.t000');
  });

  it('re-applies colocation with ALTER TABLE in group order unless the target can reserve it', () => {
    const catalog = aCatalog().withDb('s', { with: [aTable('a', { colocateGroup: 'g' }), aTable('b', { colocateGroup: 'g' })] })
      .with((c) => c.colocateGroups.push({ database: 's', name: 'g', buckets: 4, replicationAllocation: 'tag.location.default: 3', tables: ['b', 'a'] }))
      .build();
    const plan = buildPlan(input({ source: { ...input().source, catalog } }));
    expect(steps(plan, 'colocate').map((s) => [s.id, s.dependsOn])).toEqual([
      ['colocate:s:b', ['restore:s:1']],
      ['colocate:s:a', ['restore:s:1', 'colocate:s:b']],
    ]);
    const fourToFour = buildPlan(input({ source: { ...input().source, catalog: { ...catalog, cluster: { ...catalog.cluster, version: { ...catalog.cluster.version, major: 4, minor: 0 } } } }, target: { ...input().target, facts: targetFacts('4.0.1') } }));
    expect(steps(fourToFour, 'colocate')).toEqual([]);
    expect((fourToFour.steps.find((s) => s.kind === 'restore') as RestoreStep).properties.reserve_colocate).toBe('true');
  });

  it('keeps dynamic partitioning on through the restore property', () => {
    const catalog = aCatalog().withDb('a', { with: [aTable('ev', { dynamicPartition: { enable: 'true', time_unit: 'DAY' } })] }).build();
    const plan = buildPlan(input({ source: { ...input().source, catalog } }));
    expect((plan.steps.find((s) => s.kind === 'restore') as RestoreStep).properties.reserve_dynamic_partition_enable).toBe('true');
  });

  it('refuses conflicts unless a policy is chosen, and applies skip, alias and atomic-replace', () => {
    const facts = targetFacts('3.0.3', { existingDatabases: ['sales'], existingTables: [{ database: 'sales', name: 't001' }, { database: 'sales', name: 't002', difference: 'columns differ' }] });
    const base = input({ target: { ...input().target, facts } });
    expect(() => buildPlan(base)).toThrow(/2 table\(s\) already exist on the target: sales\.t001 \(same schema\); sales\.t002 \(columns differ\) — choose --on-conflict/);
    const skip = buildPlan({ ...base, options: { ...base.options, conflicts: 'skip' } });
    expect(skip.excluded.filter((e) => e.kind === 'conflict').map((e) => e.object)).toEqual(['sales.t001', 'sales.t002']);
    const alias = buildPlan({ ...base, options: { ...base.options, conflicts: 'alias' } });
    expect((alias.steps.find((s) => s.kind === 'restore') as RestoreStep).tables).toContainEqual({ name: 't001', alias: 't001_migrated' });
    expect(() => buildPlan({ ...base, options: { ...base.options, conflicts: 'atomic-replace' } })).toThrow(/needs force_replace/);
    const atomic = buildPlan({ ...base, target: { ...base.target, facts: { ...facts, existingTables: [facts.existingTables[0]!] } }, options: { ...base.options, conflicts: 'atomic-replace' } });
    expect((atomic.steps.find((s) => s.kind === 'restore') as RestoreStep).properties.atomic_restore).toBe('true');
  });

  it.each([
    ['a cloud-mode source', { source: { ...input().source, catalog: aCatalog().withDb('x', { tables: 1 }).with((c) => (c.cluster.version.cloud = true)).build() } }, /cloud\) mode, where Doris cannot BACKUP/],
    ['2.x to 4.x', { target: { ...input().target, facts: targetFacts('4.0.1') } }, /migrate to a 3\.x cluster first/],
    ['too few backends', { target: { ...input().target, facts: { ...targetFacts(), cluster: { ...targetFacts().cluster, aliveBackends: 1 } } } }, /1 alive backends but the plan asks for 3 replicas/],
    ['Azure on a 2.1 source', { repository: { name: 'r', settings: settingsFromLocation('azure://acct1/cont1/p') } }, /Doris 2\.1 cannot use Azure Blob/],
    ['a label collision', { existingLabels: [`${backupLabel('dm1', 'sales', 1)}_a1`] }, /choose another --label-prefix/],
  ])('refuses %s with exit 4', (_label, over, message) => {
    try {
      buildPlan(input(over));
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as Error).message).toMatch(message);
      expect((e as { exitCode: number }).exitCode).toBe(4);
    }
  });
});

describe('plan file', () => {
  it('is deterministic, round-trips through YAML, and detects edits', () => {
    const a = buildPlan(input());
    const b = buildPlan(input());
    expect(planToYaml(a)).toBe(planToYaml(b));
    expect(planFromYaml(planToYaml(a))).toEqual(a);
    expect(a.fingerprint).toBe(fingerprintOf(a));
    const edited = planToYaml(a).replace('jobTimeoutSeconds: 86400', 'jobTimeoutSeconds: 7200');
    expect(() => planFromYaml(edited, 'p.yaml')).toThrow('p.yaml was edited after it was made (fingerprint mismatch)');
    const c = buildPlan(input({ options: { ...input().options, jobTimeoutSeconds: 7200 } }));
    expect(diffPlans(a, c)).toEqual(['step backup:sales:1 changed', 'step restore:sales:1 changed', 'options changed']);
  });

  it('lists every schema problem with its path', () => {
    const broken = planToYaml(buildPlan(input())).replace(/port: 9030/g, 'port: nine').replace('version: 1', 'version: 2');
    expect(() => planFromYaml(broken, 'p.yaml')).toThrow(/p\.yaml does not match the plan format: version: .*; source\.port: .*; target\.port: /);
  });
});

describe('renderers', () => {
  const plan = buildPlan(input());
  it('summarises the plan as text and Markdown', () => {
    const text = renderText(plan);
    expect(text).toContain('1 database, 3 tables, 3 partitions, 2.9 KiB, 30 rows');
    expect(text).toContain('  backup:sales:1  back up sales batch 1/1 (3 objects)  (after repo:source)');
    const md = renderMarkdown(plan);
    expect(md).toContain('| `sales` | `sales` | 3 | 3 | 2.9 KiB |');
    expect(md).toContain('| `restore:sales:1` | restore sales batch 1/1 | `backup:sales:1`, `db:sales`, `repo:target` |');
  });

  it('prints the exact runbook with placeholders for secrets and run-time values', () => {
    const runbook = renderSql(plan);
    const label = `${backupLabel('dm1', 'sales', 1)}_a1`;
    expect(runbook).toContain('CREATE READ ONLY REPOSITORY `doris_migrate` WITH S3 ON LOCATION "s3://bucket1/mig" PROPERTIES ("s3.endpoint" = "http://minio:9000", "s3.region" = "us-east-1", "s3.access_key" = "${AWS_ACCESS_KEY_ID}", "s3.secret_key" = "${AWS_SECRET_ACCESS_KEY}", "s3.session_token" = "${AWS_SESSION_TOKEN}", "use_path_style" = "true");');
    expect(runbook).toContain(`BACKUP SNAPSHOT \`sales\`.\`${label}\` TO \`doris_migrate\` ON (\`t000\`, \`t001\`, \`t002\`) PROPERTIES ("timeout" = "86400");`);
    expect(runbook).toContain(`--   take <backup_timestamp> from: SHOW SNAPSHOT ON \`doris_migrate\` WHERE SNAPSHOT = "${label}"`);
    expect(runbook).toContain(`RESTORE SNAPSHOT \`sales\`.\`${label}\` FROM \`doris_migrate\` ON (\`t000\`, \`t001\`, \`t002\`) PROPERTIES ("backup_timestamp" = "<backup_timestamp>", "replication_num" = "3", "timeout" = "86400");`);
  });
});
