// The pure catch-up planner: what changed since the versions a migration captured, and the plan
// that copies exactly that.
import { describe, expect, it } from 'vitest';
import type { Catalog, Table } from '../../src/catalog/model.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { buildCatchUpPlan, type CatchUpInput } from '../../src/plan/catchup.js';
import { renderText } from '../../src/plan/render.js';
import type { BackupStep, PartitionVersions, Plan, RestoreStep } from '../../src/plan/schema.js';
import { planFromYaml, planToYaml } from '../../src/plan/yaml.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { verifyScope } from '../../src/verify/scope.js';
import { aCatalog, aTable, targetFacts } from '../support/catalog-builder.js';

const GiB = 1024 ** 3;

/** `events`: four partitions with ids 100.. and versions 2; `users`: unpartitioned. */
function sourceCatalog(edit: (c: Catalog) => void = () => undefined): Catalog {
  const events: Table = aTable('events', {
    partitionType: 'RANGE', partitionColumns: ['id'], dataBytes: 4 * GiB,
    partitions: [0, 1, 2, 3].map((i) => ({ name: `p${i}`, range: `[${i}, ${i + 1})`, dataBytes: GiB, id: 100 + i, visibleVersion: 2, rows: 10 })),
  });
  const users = aTable('users', { partitions: [{ name: 'users', range: '', dataBytes: 1000, id: 200, visibleVersion: 5 }] });
  const c = aCatalog().withDb('sales', { with: [events, users] }).build();
  edit(c);
  return c;
}
const table = (c: Catalog, name: string): Table => c.databases[0]!.tables.find((t) => t.name === name)!;

const original = (): Plan =>
  buildPlan({
    name: 'mig', now: '2026-12-01T00:00:00.000Z',
    source: { catalog: sourceCatalog(), ref: { host: 'src', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
    target: { facts: targetFacts('3.0.5'), ref: { host: 'dst', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
    repository: { name: 'doris_migrate', settings: settingsFromLocation('s3://bucket1/mig', { s3Endpoint: 'http://minio:9000' }) },
    options: { labelPrefix: 'dm1', concurrency: { source: 2, target: 2 }, batchBytes: 100 * GiB, jobTimeoutSeconds: 86400, replication: { num: 3 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });

/** What the original migration's backups captured. */
const captured = (): PartitionVersions => ({ sales: { events: { p0: [100, 2], p1: [101, 2], p2: [102, 2], p3: [103, 2] }, users: { users: [200, 5] } } });

const catchUp = (catalog: Catalog, over: Partial<CatchUpInput> = {}) =>
  buildCatchUpPlan({
    previous: original(), known: captured(), since: '2026-12-01T01:00:00.000Z', number: 1, name: 'mig-catchup-1', now: '2026-12-02T00:00:00.000Z', catalog,
    target: targetFacts('3.0.5', { existingDatabases: ['sales'], existingTables: [{ database: 'sales', name: 'events' }, { database: 'sales', name: 'users' }] }),
    dropRemoved: false, ...over,
  });

const planOf = (r: ReturnType<typeof catchUp>): Plan => {
  if (r.kind !== 'plan') throw new Error('expected a plan');
  return r.plan;
};

describe('buildCatchUpPlan', () => {
  it('says nothing changed when every version and id is what the target holds', () => {
    expect(catchUp(sourceCatalog())).toEqual({ kind: 'nothing', since: '2026-12-01T01:00:00.000Z' });
  });

  it('copies grown, replaced and added partitions by partition-level backup and an in-place restore', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => {
      const events = table(c, 'events');
      events.partitions[1]!.visibleVersion = 3; // an INSERT
      events.partitions[2]!.id = 150; // INSERT OVERWRITE
      events.partitions.push({ name: 'p4', range: '[4, 5)', dataBytes: GiB, id: 160, visibleVersion: 2 });
    })));
    expect(plan.catchUp!.changes.map((c) => `${c.change} ${c.object}`)).toEqual(['changed sales.events.p1', 'replaced sales.events.p2', 'added sales.events.p4']);
    const backup = plan.steps.find((s) => s.kind === 'backup') as BackupStep;
    expect(backup.tables).toEqual([{ name: 'events', partitions: ['p1', 'p2', 'p4'] }]);
    expect(backup.bytes).toBe(3 * GiB);
    const restore = plan.steps.find((s) => s.kind === 'restore') as RestoreStep;
    // Same replica count as the migration, and no atomic restore: Doris overwrites in place.
    expect(restore.properties).toEqual({ replication_num: '3', timeout: '86400' });
    expect(restore.tables).toEqual(backup.tables);
    expect(plan.catchUp!.summary).toEqual({ partitions: 3, tables: 1, bytes: 3 * GiB });
    // The partitions it does not copy stay in the baseline; the copied ones come from its own backups.
    expect(plan.catchUp!.baseline.sales!.events).toEqual({ p0: [100, 2], p3: [103, 2] });
    expect(plan.catchUp!.baseline.sales!.users).toEqual({ users: [200, 5] });
    // Its own id, so its labels are its own.
    expect(plan.id).toMatch(/^[0-9a-f]{8}$/);
    expect(plan.options.labelPrefix).toBe(`dm2612020000_${plan.id}`);
    expect(backup.label.startsWith(`${plan.options.labelPrefix}_sales_`)).toBe(true);
    expect(renderText(plan)).toContain('Catch-up 1 of mig: what changed on the source since 2026-12-01T01:00:00.000Z');
    expect(planFromYaml(planToYaml(plan), 'x.yaml')).toEqual(plan);
  });

  it('refuses labels the repository holds already or holds attempts of, and only those', () => {
    const changed = sourceCatalog((c) => void (table(c, 'users').partitions[0]!.visibleVersion = 6));
    const label = (planOf(catchUp(changed)).steps.find((s) => s.kind === 'backup') as BackupStep).label;
    for (const held of [[label], [`${label}_a2`], ['other_a1', `${label}_a1`]]) expect(() => catchUp(changed, { existingLabels: held })).toThrow(/planned before/);
    // Another batch's attempts (b1 vs b10), or the label without an attempt suffix, are no collision.
    for (const held of [[`${label}0_a1`], [`${label}_b1`], [`x${label}_a1`]]) expect(planOf(catchUp(changed, { existingLabels: held })).steps.some((s) => s.kind === 'backup')).toBe(true);
  });

  it('copies an unpartitioned table whole (its one partition), in place', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => void (table(c, 'users').partitions[0]!.visibleVersion = 6))));
    expect((plan.steps.find((s) => s.kind === 'backup') as BackupStep).tables).toEqual([{ name: 'users' }]);
  });

  it('lists dropped partitions and tables as warnings, and drops them only with --drop-removed', () => {
    const edit = (c: Catalog) => {
      table(c, 'events').partitions.splice(0, 1);
      c.databases[0]!.tables = c.databases[0]!.tables.filter((t) => t.name !== 'users');
    };
    const warned = planOf(catchUp(sourceCatalog(edit)));
    expect(warned.steps.some((s) => s.kind === 'drop')).toBe(false);
    expect(warned.warnings.join('\n')).toMatch(/partition\(s\) p0 of sales.events were dropped on the source and stay on the target/);
    expect(warned.warnings.join('\n')).toMatch(/sales.users was dropped on the source/);
    const dropped = planOf(catchUp(sourceCatalog(edit), { dropRemoved: true }));
    expect(dropped.steps.filter((s) => s.kind === 'drop').map((s) => s.id)).toEqual(['drop:sales:events', 'drop:sales:users']);
    expect(dropped.steps.find((s) => s.id === 'verify')!.dependsOn).toEqual(['drop:sales:events', 'drop:sales:users']);
  });

  it('replaces a table whose schema changed atomically (force_replace), and migrates an added table whole', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => {
      table(c, 'users').columns.push({ name: 'email', type: 'varchar(64)', nullable: true, isKey: false });
      c.databases[0]!.tables.push(aTable('audit', { partitions: [{ name: 'audit', range: '', dataBytes: 10, id: 300, visibleVersion: 2 }] }));
    })));
    expect(plan.catchUp!.changes.map((c) => `${c.change} ${c.object}`)).toEqual(['schema-changed sales.users', 'table-added sales.audit']);
    const restores = plan.steps.filter((s): s is RestoreStep => s.kind === 'restore');
    expect(restores.map((r) => [r.tables.map((t) => t.name), r.properties.atomic_restore ?? '', r.properties.force_replace ?? ''])).toEqual([
      [['audit'], '', ''],
      [['users'], 'true', 'true'],
    ]);
    expect(plan.read!.tables.sales!.audit).toBeDefined();
    expect(plan.read!.tables.sales!.users).not.toBe(original().read!.tables.sales!.users);
  });

  it('leaves a schema-changed table out, with the reason, where the target cannot replace it', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => void table(c, 'users').columns.push({ name: 'x', type: 'int', nullable: true, isKey: false })), {
      target: targetFacts('3.0.3', { existingTables: [{ database: 'sales', name: 'users' }] }),
    }));
    expect(plan.excluded).toEqual([expect.objectContaining({ object: 'sales.users', kind: 'schema-changed', reason: expect.stringContaining('needs force_replace') })]);
    expect(plan.steps.some((s) => s.kind === 'backup')).toBe(false);
    // It keeps the old signature, so the next catch-up still finds it changed.
    expect(plan.read!.tables.sales!.users).toBe(original().read!.tables.sales!.users);
  });

  it('names the same obstacle a plan would: a table with a storage policy and temporary partitions is left out for its policy', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => {
      table(c, 'events').partitions[1]!.visibleVersion = 3;
      Object.assign(table(c, 'users'), { storagePolicy: 'cold', tempPartitions: ['tp1'] });
    })));
    expect(plan.excluded).toEqual([expect.objectContaining({ object: 'sales.users', kind: 'storage-policy', reason: expect.stringContaining('uses storage policy cold') })]);
  });

  it('records a new table BACKUP would refuse as left out, not silently skipped', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => {
      table(c, 'events').partitions[1]!.visibleVersion = 3;
      c.databases[0]!.tables.push(aTable('scratch', { tempPartitions: ['tp1'], partitions: [{ name: 'scratch', range: '', dataBytes: 10, id: 300, visibleVersion: 2 }] }));
    })));
    expect(plan.excluded).toEqual([expect.objectContaining({ object: 'sales.scratch', kind: 'temp-partition', reason: expect.stringContaining('has temporary partitions (tp1)') })]);
    expect(plan.catchUp!.changes.some((c) => c.object === 'sales.scratch')).toBe(false);
    expect(plan.read!.tables.sales!.scratch).toBeUndefined();
  });

  it('chains: the next catch-up starts from this one baseline plus what its backups captured', () => {
    const first = planOf(catchUp(sourceCatalog((c) => void (table(c, 'events').partitions[1]!.visibleVersion = 3))));
    const known: PartitionVersions = { sales: { ...first.catchUp!.baseline.sales!, events: { ...first.catchUp!.baseline.sales!.events, p1: [101, 3] } } };
    const again = buildCatchUpPlan({
      previous: first, known, since: '2026-12-02T01:00:00.000Z', number: 2, name: 'mig-catchup-2', now: '2026-12-03T00:00:00.000Z',
      catalog: sourceCatalog((c) => void (table(c, 'events').partitions[1]!.visibleVersion = 3)), target: targetFacts('3.0.5'), dropRemoved: false,
    });
    expect(again).toEqual({ kind: 'nothing', since: '2026-12-02T01:00:00.000Z' });
  });

  it('verifies the whole migration, not only the partitions it copied', () => {
    const plan = planOf(catchUp(sourceCatalog((c) => void (table(c, 'events').partitions[1]!.visibleVersion = 3))));
    expect(verifyScope(plan).tables.map((t) => [t.name, t.partitions])).toEqual([['events', undefined], ['users', undefined]]);
  });
});
