// The steps of a catch-up plan, from what changed per database (catchup.ts): backups of the
// changed partitions and restores onto the target tables, atomic replaces of tables whose schema
// changed (in restores of their own: atomic_restore applies to a whole job), whole new tables,
// drops, and the follow-ups a re-created table needs. Pure.
import type { Catalog, Table } from '../catalog/model.js';
import type { Capabilities } from '../doris/capabilities.js';
import { refusedError } from '../errors.js';
import { followUpSteps } from './followups.js';
import { backupLabel } from './labels.js';
import { restoreProperties } from './restore-properties.js';
import type { Plan, PlanOptions, RestoreStep, Step, TableRef } from './schema.js';

export interface TableWork {
  table: Table;
  targetName: string;
  /** Only these partitions; undefined: the whole table. */
  partitions?: string[] | undefined;
}

export interface DatabaseWork {
  source: string;
  target: string;
  properties: Record<string, string>;
  /** Changed, replaced and added partitions of tables the target has with the same schema. */
  inPlace: TableWork[];
  /** Tables whose schema changed: replaced whole, atomically. */
  replace: TableWork[];
  /** Tables new to the target: restored whole. */
  added: TableWork[];
  /** With --drop-removed: target tables (or some of their partitions) the source no longer has. */
  drops: { table: string; partitions?: string[] }[];
}

export interface StepsInput {
  work: DatabaseWork[];
  catalog: Catalog;
  options: PlanOptions;
  targetCaps: Capabilities;
  sourceCaps: Capabilities;
  existingLabels: string[];
  warnings: string[];
}

/** The table's partitions the work names (all when it names none), in the table's order. */
function partitionsOf(w: TableWork): Table['partitions'] {
  if (!w.partitions) return w.table.partitions;
  const named = new Set(w.partitions);
  return w.table.partitions.filter((p) => named.has(p.name));
}

const bytesOf = (w: TableWork): number => (w.partitions ? partitionsOf(w).reduce((s, p) => s + p.dataBytes, 0) : w.table.dataBytes);

/**
 * Every `x` for which some label starts with `x_a`: a label the repository holds attempts of
 * (`<label>_a<n>`), looked up at once instead of scanning all labels per job.
 */
function attemptedLabels(labels: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const l of labels) for (let i = l.indexOf('_a'); i >= 0; i = l.indexOf('_a', i + 1)) out.add(l.slice(0, i));
  return out;
}

/** Cuts table work into jobs under the byte budget, in name order. */
function batches(items: TableWork[], budget: number): TableWork[][] {
  const out: TableWork[][] = [];
  let current: TableWork[] = [];
  let bytes = 0;
  for (const w of [...items].sort((a, b) => (a.table.name < b.table.name ? -1 : 1))) {
    if (current.length && bytes + bytesOf(w) > budget) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += bytesOf(w);
  }
  if (current.length) out.push(current);
  return out;
}

export function catchUpSteps(input: StepsInput): { steps: Step[]; databases: Plan['databases']; partitions: number; tables: number; bytes: number; backups: number } {
  const { options, targetCaps, sourceCaps } = input;
  const steps: Step[] = [{ id: 'preflight', kind: 'preflight', title: 'check both clusters, the repository, and that the source has not drifted', dependsOn: [] }];
  const repoName = 'the repository';
  steps.push({ id: 'repo:source', kind: 'create-repository', cluster: 'source', readOnly: false, title: `create ${repoName} on the source (or find it there)`, dependsOn: ['preflight'] });
  steps.push({ id: 'repo:target', kind: 'create-repository', cluster: 'target', readOnly: true, title: `create ${repoName} (read only) on the target (or find it there)`, dependsOn: ['preflight'] });
  const databases: Plan['databases'] = [];
  const taken = new Set(input.existingLabels);
  const attempted = attemptedLabels(input.existingLabels);
  const restoredBy = new Map<string, string[]>();
  const recreated: Table[] = [];
  let partitions = 0;
  let bytes = 0;
  let backups = 0;
  const tables = new Set<string>();

  for (const db of input.work) {
    const dbStep = `db:${db.target}`;
    const inPlace = new Set(db.inPlace);
    const groups: { items: TableWork[]; atomic: boolean }[] = [
      ...batches([...db.inPlace, ...db.added], options.batchBytes).map((items) => ({ items, atomic: false })),
      ...batches(db.replace, options.batchBytes).map((items) => ({ items, atomic: true })),
    ];
    if (groups.length) steps.push({ id: dbStep, kind: 'create-database', cluster: 'target', database: db.target, properties: db.properties, title: `create database ${db.target} on the target (or find it there)`, dependsOn: ['preflight'] });
    groups.forEach(({ items, atomic }, i) => {
      const label = backupLabel(options.labelPrefix, db.source, i + 1);
      if (taken.has(label) || attempted.has(label)) throw refusedError('label-collision', `the repository already holds snapshots labelled ${label}_a*: this catch-up was planned before; apply that plan or remove its snapshots`);
      const refs: TableRef[] = items.map((w) => ({ name: w.table.name, ...(w.partitions ? { partitions: w.partitions } : {}) }));
      const jobBytes = items.reduce((s, w) => s + bytesOf(w), 0);
      const backupId = `backup:${db.source}:${i + 1}`;
      steps.push({
        id: backupId, kind: 'backup', cluster: 'source', database: db.source, label, tables: refs, bytes: jobBytes, timeoutSeconds: options.jobTimeoutSeconds,
        title: `back up what changed in ${db.source} (${items.length} table(s)${atomic ? ', schema changed' : ''})`, dependsOn: ['repo:source'],
      });
      const whole = items.filter((w) => !inPlace.has(w));
      const properties = restoreProperties({
        // Overwriting a partition in place needs the replica count it already has: the migration's.
        replication: options.replication,
        dynamicPartition: whole.some((w) => w.table.dynamicPartition?.enable === 'true'),
        colocate: targetCaps.reserveColocate && sourceCaps.reserveColocate && whole.some((w) => w.table.colocateGroup),
        atomic,
        forceReplace: true,
        timeoutSeconds: options.jobTimeoutSeconds,
      });
      const restoreId = `restore:${db.target}:${i + 1}`;
      const restore: RestoreStep = {
        id: restoreId, kind: 'restore', cluster: 'target', database: db.target, sourceDatabase: db.source, backupStep: backupId,
        tables: items.map((w, k) => ({ ...refs[k]!, ...(w.targetName !== w.table.name ? { alias: w.targetName } : {}) })), properties, bytes: jobBytes,
        timeoutSeconds: options.jobTimeoutSeconds, title: `restore what changed in ${db.target}${atomic ? ' (atomic replace)' : ''}`, dependsOn: [backupId, dbStep, 'repo:target'],
      };
      steps.push(restore);
      for (const w of items) {
        tables.add(`${db.source}.${w.table.name}`);
        partitions += w.partitions ? w.partitions.length : w.table.partitions.length;
        if (!inPlace.has(w)) {
          restoredBy.set(`${db.source}.${w.table.name}`, [restoreId]);
          recreated.push(w.table);
        }
      }
      bytes += jobBytes;
      backups++;
    });
    for (const drop of db.drops) {
      steps.push({
        id: `drop:${db.target}:${drop.table}`, kind: 'drop', cluster: 'target', database: db.target, table: drop.table, ...(drop.partitions ? { partitions: drop.partitions } : {}),
        title: drop.partitions ? `drop partition(s) ${drop.partitions.join(', ')} of ${db.target}.${drop.table} (dropped on the source)` : `drop table ${db.target}.${drop.table} (dropped on the source; to the recycle bin)`,
        dependsOn: ['preflight'],
      });
    }
    const counted = [...db.inPlace, ...db.replace, ...db.added];
    if (counted.length) {
      databases.push({
        source: db.source, target: db.target, tables: counted.length, partitions: counted.reduce((s, w) => s + (w.partitions ? w.partitions.length : w.table.partitions.length), 0),
        bytes: counted.reduce((s, w) => s + bytesOf(w), 0), rows: counted.reduce((s, w) => s + (w.partitions ? partitionsOf(w).reduce((r, p) => r + (p.rows ?? 0), 0) : w.table.rows), 0),
      });
    }
  }
  // Only a table the restore (re)creates loses what follow-ups set: colocation, and the replication
  // of the partitions its dynamic-partition scheduler adds. A partition overwritten in place keeps its table's properties.
  const names = new Set(recreated);
  const changedDatabases = new Set(input.work.map((w) => w.source));
  const restores = steps.filter((s): s is RestoreStep => s.kind === 'restore');
  const followUps = followUpSteps({
    catalog: input.catalog,
    databases: input.catalog.databases.filter((d) => changedDatabases.has(d.name)).map((d) => ({ ...d, tables: d.tables.filter((t) => names.has(t)), views: [], asyncMaterializedViews: [] })),
    selectedMvs: new Set(), splitTables: new Set(), renames: Object.fromEntries(input.work.map((w) => [w.source, w.target])), restoredBy,
    targetReservesColocate: targetCaps.reserveColocate && sourceCaps.reserveColocate, restores, replication: options.replication, warnings: input.warnings,
  });
  steps.push(...followUps);
  steps.push({ id: 'verify', kind: 'verify', title: 'compare source and target', dependsOn: steps.filter((s) => s.kind === 'restore' || s.kind === 'drop' || s.kind === 'colocate' || s.kind === 'dynamic-partition').map((s) => s.id) });
  return { steps, databases, partitions, tables: tables.size, bytes, backups };
}
