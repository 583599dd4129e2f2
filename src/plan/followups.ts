// What Doris leaves to a person after RESTORE: colocation groups (when the restore cannot keep
// them), async MVs (never in a snapshot) and views that point outside the plan. Pure.
import type { AsyncMaterializedView, Catalog, Database } from '../catalog/model.js';
import { sql } from '../doris/sql.js';
import { targetMvStatement } from './mv-ddl.js';
import type { Step } from './schema.js';

export { renameDatabases } from './mv-ddl.js';

export interface FollowUpInput {
  catalog: Catalog;
  databases: Database[];
  /** `db.mv` of the async MVs the plan recreates. */
  selectedMvs: Set<string>;
  renames: Record<string, string>;
  /** `db.table` -> restore step ids that bring it to the target. */
  restoredBy: Map<string, string[]>;
  /** `db.table` of tables split across several restores by partitions. */
  splitTables: Set<string>;
  targetReservesColocate: boolean;
  warnings: string[];
}

export function followUpSteps(input: FollowUpInput): Step[] {
  const steps: Step[] = [];
  const target = (db: string) => input.renames[db] ?? db;
  const chosen = new Set(input.databases.map((d) => d.name));

  if (!input.targetReservesColocate) {
    for (const group of input.catalog.colocateGroups) {
      if (!chosen.has(group.database)) continue;
      // Group order: the first member defines the group on the target, the others join it.
      for (const table of group.tables) {
        const restores = input.restoredBy.get(`${group.database}.${table}`);
        if (!restores) continue;
        steps.push({
          id: `colocate:${target(group.database)}:${table}`, kind: 'colocate', cluster: 'target', database: target(group.database), object: table,
          sql: [sql.alterTableSet(target(group.database), table, { colocate_with: group.name })], automatic: true, expect: { colocate_with: group.name },
          title: `put ${target(group.database)}.${table} back in colocation group ${group.name}`,
          dependsOn: [...restores, ...steps.filter((s) => s.kind === 'colocate' && s.id.startsWith(`colocate:${target(group.database)}:`) && group.tables.includes((s as { object: string }).object)).map((s) => s.id)],
        });
      }
    }
  }

  for (const db of input.databases) {
    // Restore keeps every dynamic_partition.* key but `enable`, which a split table gets back only
    // after its last part is in (build-plan.ts leaves reserve_dynamic_partition_enable off for it).
    for (const table of db.tables) {
      const restores = input.restoredBy.get(`${db.name}.${table.name}`);
      if (table.dynamicPartition?.enable !== 'true' || !restores || !input.splitTables.has(`${db.name}.${table.name}`)) continue;
      steps.push({
        id: `dynamic-partition:${target(db.name)}:${table.name}`, kind: 'dynamic-partition', cluster: 'target', database: target(db.name), object: table.name,
        sql: [sql.alterTableSet(target(db.name), table.name, { 'dynamic_partition.enable': 'true' })], automatic: true, expect: { 'dynamic_partition.enable': 'true' },
        title: `switch dynamic partitioning of ${target(db.name)}.${table.name} back on`, dependsOn: [...restores],
      });
    }
  }
  steps.push(...mvSteps(input, target));

  for (const db of input.databases) {
    for (const view of db.views) {
      const outside = view.references.filter((r) => !input.restoredBy.has(`${r.database}.${r.name}`) && !db.views.some((v) => r.database === db.name && v.name === r.name));
      if (!outside.length || !input.restoredBy.has(`${db.name}.${view.name}`)) continue;
      steps.push({
        id: `manual:${target(db.name)}:${view.name}`, kind: 'manual', title: `check view ${target(db.name)}.${view.name}`,
        instructions: `The view reads ${outside.map((r) => `${r.database}.${r.name}`).join(', ')}, which this plan does not migrate: create those objects on the target or fix the view, or it cannot be queried.`,
        sql: [], dependsOn: input.restoredBy.get(`${db.name}.${view.name}`) ?? [],
      });
    }
  }
  return steps;
}

/** Async MVs in an order where an MV built on another MV comes after it, each after its bases. */
function mvSteps(input: FollowUpInput, target: (db: string) => string): Step[] {
  const steps: Step[] = [];
  const kept = new Map<string, { db: string; mv: AsyncMaterializedView }>();
  for (const db of input.databases) {
    for (const mv of db.asyncMaterializedViews) if (input.selectedMvs.has(`${db.name}.${mv.name}`)) kept.set(`${db.name}.${mv.name}`, { db: db.name, mv });
  }
  const stepId = (db: string, name: string) => `mtmv:${target(db)}:${name}`;
  const done = new Set<string>();
  const visit = (key: string, path: Set<string>) => {
    const entry = kept.get(key);
    if (!entry || done.has(key) || path.has(key)) return; // path: an MV cycle cannot be created anyway
    path.add(key);
    const { db, mv } = entry;
    const bases = mv.baseTables.map((b) => `${b.database}.${b.name}`);
    for (const b of bases) visit(b, path);
    const deps = bases.flatMap((b) => (kept.has(b) ? [stepId(kept.get(b)!.db, kept.get(b)!.mv.name)] : (input.restoredBy.get(b) ?? [])));
    const missing = bases.filter((b) => !kept.has(b) && !input.restoredBy.has(b));
    if (missing.length) input.warnings.push(`async MV ${db}.${mv.name} reads ${missing.join(', ')}, which the plan does not migrate: its refresh will fail until they exist`);
    steps.push({
      id: stepId(db, mv.name), kind: 'mtmv', cluster: 'target', database: target(db), object: mv.name,
      sql: [targetMvStatement(mv.createSql, target(db), input.renames), sql.refreshMaterializedView(target(db), mv.name)], automatic: true,
      title: `recreate async materialized view ${target(db)}.${mv.name} and refresh it`, dependsOn: [...new Set([`db:${target(db)}`, ...deps])],
    });
    done.add(key);
  };
  for (const key of kept.keys()) visit(key, new Set());
  return steps;
}
