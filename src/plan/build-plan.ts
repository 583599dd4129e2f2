// buildPlan: Catalog + target facts + options + decisions -> Plan. Pure: no IO, no clock.
import type { Catalog, Database, Table, TargetFacts } from '../catalog/model.js';
import { capabilitiesOf, versionString, withProbedRestoreProperties } from '../doris/capabilities.js';
import { checkClusterPair, checkReplicas } from './early-checks.js';
import { refusedError, usageError } from '../errors.js';
import { batchTables } from './batches.js';
import { fingerprintOf } from './fingerprint.js';
import { followUpSteps } from './followups.js';
import { backupLabel, planIdOf } from './labels.js';
import { repositoryDefinition } from '../storage/properties.js';
import { restoreProperties } from './restore-properties.js';
import type { ClusterRef, Exclusion, Plan, PlanOptions, Repository, RestoreStep, Step } from './schema.js';
import { pickAlias } from './aliases.js';
import { checkSelection, checkTargetNames, type PlanSelection } from './selection.js';
import { tableSignature } from './table-signature.js';

export type { PlanSelection } from './selection.js';

export interface PlanInput {
  name: string;
  /** ISO time, passed in (the planner reads no clock). */
  now: string;
  source: { catalog: Catalog; ref: Omit<ClusterRef, 'version' | 'cloud'> };
  target: { facts: TargetFacts; ref: Omit<ClusterRef, 'version' | 'cloud'> };
  repository: Repository;
  options: PlanOptions;
  selection: PlanSelection;
  /** Labels already in the repository (preflight listing). */
  existingLabels?: string[];
}

const key = (db: string, t: string): string => `${db}.${t}`;

/** Why BACKUP would refuse the table, or undefined: the one rule a plan and a catch-up share. */
export function backupRefusal(t: Table): { kind: 'non-olap' | 'storage-policy' | 'temp-partition'; reason: string } | undefined {
  if (t.kind === 'external') return { kind: 'non-olap', reason: `${t.engine} external table: BACKUP refuses non-OLAP tables` };
  if (t.storagePolicy) return { kind: 'storage-policy', reason: `uses storage policy ${t.storagePolicy}: Doris does not back up tables with cooled data` };
  if (t.tempPartitions.length) return { kind: 'temp-partition', reason: `has temporary partitions (${t.tempPartitions.join(', ')}): BACKUP refuses such tables` };
  return undefined;
}

const refusalRemedy = {
  'non-olap': 'recreate it on the target with its CREATE TABLE statement (it holds no data in Doris)',
  'storage-policy': 'remove the policy or copy the table another way (INSERT INTO ... SELECT over a catalog, or export/import)',
  'temp-partition': 'replace or drop the temporary partitions, then plan again',
} as const;

function excludedTable(db: Database, t: Table, into: Exclusion[]): boolean {
  const refusal = backupRefusal(t);
  if (!refusal) return false;
  into.push({ object: key(db.name, t.name), kind: refusal.kind, reason: refusal.reason, remedy: refusalRemedy[refusal.kind] });
  return true;
}

export function buildPlan(input: PlanInput): Plan {
  const { catalog } = input.source;
  const targetFacts = input.target.facts;
  const sourceV = catalog.cluster.version;
  const targetV = targetFacts.cluster.version;
  checkClusterPair(catalog.cluster, input.source.ref, targetFacts.cluster, input.target.ref);
  // The repository must be expressible on both lines (e.g. no Azure before 3.0).
  repositoryDefinition(input.repository.settings, sourceV);
  repositoryDefinition(input.repository.settings, targetV);
  // What the target said it accepts outranks the version table (patch builds and forks differ).
  const targetCaps = withProbedRestoreProperties(capabilitiesOf(targetV), targetFacts.restoreProperties ?? {});
  const sourceCaps = capabilitiesOf(sourceV);
  const { options, selection } = input;

  checkReplicas(options.replication, targetFacts.cluster.aliveBackends);

  const excluded: Exclusion[] = [];
  const warnings: string[] = [];
  for (const s of catalog.systemDatabases) excluded.push({ object: s, kind: 'system-database', reason: 'created by Doris itself', remedy: 'nothing to do: the target has its own' });
  for (const c of catalog.externalCatalogs) excluded.push({ object: `catalog:${c.name}`, kind: 'external-catalog', reason: `external ${c.type} catalog: BACKUP covers the internal catalog only`, remedy: `recreate it on the target with SHOW CREATE CATALOG ${c.name} (mind the credentials in it)` });

  checkSelection(catalog, selection);
  const dbExcluded = new Set((selection.exclude ?? []).filter((e) => !e.includes('.')));
  const tableExcluded = new Set((selection.exclude ?? []).filter((e) => e.includes('.')));
  const onlyTables = selection.tables ? new Set(selection.tables) : undefined;
  const chosenDbs = catalog.databases
    .filter((d) => !selection.databases || selection.databases.includes(d.name))
    .filter((d) => {
      if (dbExcluded.has(d.name)) excluded.push({ object: d.name, kind: 'user-excluded', reason: 'excluded by --exclude', remedy: 'remove it from --exclude to migrate it' });
      return !dbExcluded.has(d.name);
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (chosenDbs.length === 0) throw usageError('nothing-to-migrate', 'no database is selected: check --databases and --exclude');
  checkTargetNames(chosenDbs.map((d) => d.name), selection.renames ?? {});

  const steps: Step[] = [{ id: 'preflight', kind: 'preflight', title: 'check both clusters and the repository', dependsOn: [] }];
  steps.push({ id: 'repo:source', kind: 'create-repository', cluster: 'source', readOnly: false, title: `create repository ${input.repository.name} on the source`, dependsOn: ['preflight'] });
  steps.push({ id: 'repo:target', kind: 'create-repository', cluster: 'target', readOnly: true, title: `create repository ${input.repository.name} (read only) on the target`, dependsOn: ['preflight'] });

  const conflicts: string[] = [];
  const existing = new Map(targetFacts.existingTables.map((t) => [key(t.database, t.name), t]));
  const databases: Plan['databases'] = [];
  const restoredBy = new Map<string, string[]>();
  const existingLabels = new Set(input.existingLabels ?? []);
  const selectedMvs = new Set<string>();
  /** `db.name` of objects left out because they exist on the target (--on-conflict skip). */
  const conflictSkips: string[] = [];
  /** `db.table` of tables whose partitions are spread over several jobs. */
  const splitTables = new Set<string>();
  const dbSteps = new Set<string>();
  const read: NonNullable<Plan['read']> = { selection: { ...(selection.databases ? { databases: selection.databases } : {}), ...(selection.tables ? { tables: selection.tables } : {}), ...(selection.exclude ? { exclude: selection.exclude } : {}) }, tables: {}, targetNames: {}, databases: {} };
  const existingByDatabase = new Map<string, string[]>();
  for (const t of targetFacts.existingTables) {
    const names = existingByDatabase.get(t.database);
    if (names) names.push(t.name);
    else existingByDatabase.set(t.database, [t.name]);
  }
  const labelsTaken = (label: string): boolean => existingLabels.has(label) || [...existingLabels].some((l) => l.startsWith(`${label}_a`));

  for (const db of chosenDbs) {
    const target = selection.renames?.[db.name] ?? db.name;
    const tables: Table[] = [];
    for (const t of db.tables) {
      if (onlyTables && !onlyTables.has(key(db.name, t.name))) continue;
      if (tableExcluded.has(key(db.name, t.name))) {
        excluded.push({ object: key(db.name, t.name), kind: 'user-excluded', reason: 'excluded by --exclude', remedy: 'remove it from --exclude to migrate it' });
        continue;
      }
      if (!excludedTable(db, t, excluded)) tables.push(t);
    }
    const selected = (name: string): boolean => {
      if (onlyTables && !onlyTables.has(key(db.name, name))) return false;
      if (!tableExcluded.has(key(db.name, name))) return true;
      excluded.push({ object: key(db.name, name), kind: 'user-excluded', reason: 'excluded by --exclude', remedy: 'remove it from --exclude to migrate it' });
      return false;
    };
    const views = db.views.filter((v) => selected(v.name));
    const mvs = db.asyncMaterializedViews.filter((mv) => selected(mv.name));
    for (const mv of mvs) {
      selectedMvs.add(key(db.name, mv.name));
      excluded.push({ object: key(db.name, mv.name), kind: 'async-mv', reason: 'async materialized views are never in a snapshot', remedy: `recreated from its DDL by follow-up step mtmv:${target}:${mv.name}` });
    }
    // Conflicts on the target.
    const aliases = new Map<string, string>();
    const takenNames = new Set([...db.tables.map((t) => t.name), ...db.views.map((v) => v.name), ...(existingByDatabase.get(target) ?? []), ...(targetFacts.takenNames?.[target] ?? [])]);
    const atomic = new Set<string>();
    for (const name of [...tables.map((t) => t.name), ...views.map((v) => v.name)]) {
      const clash = existing.get(key(target, name));
      if (!clash) continue;
      const describe = `${target}.${name}${clash.difference ? ` (${clash.difference})` : ' (same schema)'}`;
      if (options.conflicts === 'refuse') conflicts.push(describe);
      else if (options.conflicts === 'skip') {
        conflictSkips.push(key(db.name, name));
        excluded.push({ object: key(db.name, name), kind: 'conflict', reason: `already exists on the target as ${describe}`, remedy: 'drop or rename it on the target, or plan with --on-conflict alias|atomic-replace' });
      }
      else if (options.conflicts === 'alias') {
        const alias = pickAlias(name, takenNames);
        takenNames.add(alias);
        aliases.set(name, alias);
      }
      else {
        if (!targetCaps.atomicRestore) throw refusedError('atomic-unsupported', `--on-conflict atomic-replace needs atomic_restore, which Doris ${versionString(targetV)} does not have: use skip or alias`);
        if (clash.difference && !targetCaps.forceReplace) throw refusedError('force-replace-unsupported', `${describe}: replacing a table with a different schema needs force_replace, which Doris ${versionString(targetV)} does not have`);
        atomic.add(name);
      }
    }
    const skipped = new Set(conflictSkips);
    const keptTables = tables.filter((t) => !skipped.has(key(db.name, t.name)));
    const keptViews = views.filter((v) => !skipped.has(key(db.name, v.name)));
    const keptByName = new Map(keptTables.map((t) => [t.name, t]));
    // A database holding only async MVs still gets its database step: the MVs are recreated in it;
    // so does a database that is empty on the source (not left behind without a word). One whose
    // objects were all left out is not created.
    const emptyOnSource = db.tables.length === 0 && db.views.length === 0 && db.asyncMaterializedViews.length === 0 && !onlyTables;
    if (keptTables.length === 0 && keptViews.length === 0 && mvs.length === 0 && !emptyOnSource) continue;

    const dbStep = `db:${target}`;
    if (!dbSteps.has(dbStep)) {
      dbSteps.add(dbStep);
      steps.push({ id: dbStep, kind: 'create-database', cluster: 'target', database: target, properties: db.properties, title: `create database ${target} on the target`, dependsOn: ['preflight'] });
    }
    // With reserve_colocate a colocated table's later parts would restore onto a table already in a
    // colocation group, which Doris refuses (RestoreJob: "with colocate group"): it goes whole.
    const reservesColocate = targetCaps.reserveColocate && sourceCaps.reserveColocate;
    const keepWhole = (t: Table): boolean => reservesColocate && t.colocateGroup !== undefined;
    for (const t of keptTables) {
      if (keepWhole(t) && t.dataBytes > options.batchBytes && t.partitions.length > 1) {
        warnings.push(`${db.name}.${t.name} is bigger than the batch size but colocated (group ${t.colocateGroup}): it is restored whole with reserve_colocate, since Doris refuses to restore further parts onto a table in a colocation group`);
      }
    }
    const batches = batchTables(keptTables, options.batchBytes, keepWhole);
    if (keptViews.length) {
      if (batches.length === 0) batches.push({ tables: [], bytes: 0 });
      batches[0]!.tables.push(...keptViews.map((v) => ({ name: v.name })));
    }
    for (const b of batches) for (const t of b.tables) if (t.partitions) splitTables.add(key(db.name, t.name));
    // A table split across jobs: the first part's restore creates (or atomically replaces) it and
    // every later part only adds partitions, so later parts wait for the first.
    const firstPart = new Map<string, string>();
    batches.forEach((batch, i) => {
      const label = backupLabel(options.labelPrefix, db.name, i + 1);
      if (existingLabels.size && labelsTaken(label)) {
        throw refusedError('label-collision', `the repository already holds snapshots labelled ${label}_a*: choose another --label-prefix`);
      }
      const backupId = `backup:${db.name}:${i + 1}`;
      steps.push({
        id: backupId, kind: 'backup', cluster: 'source', database: db.name, label, tables: batch.tables, bytes: batch.bytes,
        timeoutSeconds: options.jobTimeoutSeconds, title: `back up ${db.name} batch ${i + 1}/${batches.length} (${batch.tables.length} objects)`, dependsOn: ['repo:source'],
      });
      const inBatch = batch.tables.map((t) => keptByName.get(t.name)).filter((t): t is Table => t !== undefined);
      const part = batch.tables.length === 1 && batch.tables[0]!.partitions ? batch.tables[0]!.name : undefined;
      const laterPart = part !== undefined && firstPart.has(part);
      const properties = restoreProperties({
        replication: options.replication,
        // A split table's dynamic partitioning is switched on by a follow-up after its last part, so
        // the target's scheduler neither adds nor drops partitions while other parts are restoring.
        dynamicPartition: inBatch.some((t) => t.dynamicPartition?.enable === 'true' && !splitTables.has(key(db.name, t.name))),
        colocate: targetCaps.reserveColocate && sourceCaps.reserveColocate && inBatch.some((t) => t.colocateGroup),
        atomic: !laterPart && batch.tables.some((t) => atomic.has(t.name)),
        forceReplace: batch.tables.some((t) => existing.get(key(target, t.name))?.difference),
        timeoutSeconds: options.jobTimeoutSeconds,
      });
      const restoreId = `restore:${target}:${i + 1}`;
      steps.push({
        id: restoreId, kind: 'restore', cluster: 'target', database: target, sourceDatabase: db.name, backupStep: backupId,
        tables: batch.tables.map((t) => (aliases.has(t.name) ? { ...t, alias: aliases.get(t.name)! } : t)), properties, bytes: batch.bytes,
        timeoutSeconds: options.jobTimeoutSeconds, title: `restore ${target} batch ${i + 1}/${batches.length}`,
        dependsOn: [backupId, dbStep, 'repo:target', ...(laterPart ? [firstPart.get(part)!] : [])],
      });
      if (part !== undefined && !laterPart) firstPart.set(part, restoreId);
      for (const t of batch.tables) restoredBy.set(key(db.name, t.name), [...(restoredBy.get(key(db.name, t.name)) ?? []), restoreId]);
    });
    read.databases[db.name] = target;
    read.tables[db.name] = Object.fromEntries(keptTables.map((t) => [t.name, tableSignature(t)]));
    for (const [name, alias] of aliases) if (keptByName.has(name)) read.targetNames[key(db.name, name)] = alias;
    databases.push({
      source: db.name, target, tables: keptTables.length, partitions: keptTables.reduce((s, t) => s + t.partitions.length, 0),
      bytes: keptTables.reduce((s, t) => s + t.dataBytes, 0), rows: keptTables.reduce((s, t) => s + t.rows, 0),
    });
  }
  if (conflicts.length) {
    throw refusedError('target-conflicts', `${conflicts.length} table(s) already exist on the target: ${conflicts.slice(0, 5).join('; ')}${conflicts.length > 5 ? '; ...' : ''} — choose --on-conflict skip, alias or atomic-replace`);
  }
  if (databases.length === 0) throw usageError('nothing-to-migrate', 'every selected table is excluded (see the reasons with --no-interactive --out and review)');

  const followUps = followUpSteps({ catalog, databases: chosenDbs, selectedMvs, splitTables, renames: selection.renames ?? {}, restoredBy, targetReservesColocate: targetCaps.reserveColocate && sourceCaps.reserveColocate, restores: steps.filter((s): s is RestoreStep => s.kind === 'restore'), replication: options.replication, warnings, excluded });
  steps.push(...followUps);
  steps.push({ id: 'verify', kind: 'verify', title: 'compare source and target', dependsOn: steps.filter((s) => s.kind === 'restore' || s.kind === 'colocate' || s.kind === 'dynamic-partition' || s.kind === 'mtmv').map((s) => s.id) });
  if (!steps.some((s) => s.kind === 'backup') && !steps.some((s) => s.kind === 'mtmv')) {
    warnings.push('nothing to copy: every selected table was left out (see "Left out"); this plan only creates the repository and databases on the target');
  }
  if (input.existingLabels?.length) warnings.push(`the repository already holds ${input.existingLabels.length} snapshot(s) from earlier runs; they are left alone`);

  const plan: Omit<Plan, 'fingerprint'> = {
    version: 1,
    name: input.name,
    id: planIdOf({ name: input.name, now: input.now, source: input.source.ref, target: input.target.ref, repository: { name: input.repository.name, location: input.repository.settings.location } }),
    createdAt: input.now,
    source: { ...input.source.ref, version: versionString(sourceV), cloud: sourceV.cloud },
    target: { ...input.target.ref, version: versionString(targetV), cloud: targetV.cloud },
    repository: input.repository,
    options,
    databases,
    steps,
    excluded,
    warnings,
    read,
  };
  return { ...plan, fingerprint: fingerprintOf(plan) };
}
