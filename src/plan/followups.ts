// What Doris leaves to a person after RESTORE: colocation groups (when the restore cannot keep
// them), async MVs (never in a snapshot) and views that point outside the plan. Pure.
import type { Catalog, Database } from '../catalog/model.js';
import { sql } from '../doris/sql.js';
import type { Step } from './schema.js';

export interface FollowUpInput {
  catalog: Catalog;
  databases: Database[];
  /** `db.mv` of the async MVs the plan recreates. */
  selectedMvs: Set<string>;
  renames: Record<string, string>;
  /** `db.table` -> restore step ids that bring it to the target. */
  restoredBy: Map<string, string[]>;
  targetReservesColocate: boolean;
  warnings: string[];
}

/** Rewrites `srcdb.` qualifiers to target names in a definition (whole-word, backticked or not). */
export function renameDatabases(text: string, renames: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(renames)) {
    if (from === to) continue;
    const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`\`${esc}\`\\.`, 'g'), `\`${to.replace(/`/g, '``')}\`.`).replace(new RegExp(`(^|[^\\w\`.])${esc}\\.`, 'g'), `$1${to}.`);
  }
  return out;
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
          sql: [sql.alterTableSet(target(group.database), table, { colocate_with: group.name })], automatic: true,
          title: `put ${target(group.database)}.${table} back in colocation group ${group.name}`,
          dependsOn: [...restores, ...steps.filter((s) => s.kind === 'colocate' && s.id.startsWith(`colocate:${target(group.database)}:`) && group.tables.includes((s as { object: string }).object)).map((s) => s.id)],
        });
      }
    }
  }

  for (const db of input.databases) {
    for (const mv of db.asyncMaterializedViews) {
      if (!input.selectedMvs.has(`${db.name}.${mv.name}`)) continue;
      const deps = mv.baseTables.flatMap((b) => input.restoredBy.get(`${b.database}.${b.name}`) ?? []);
      const missing = mv.baseTables.filter((b) => !input.restoredBy.has(`${b.database}.${b.name}`));
      if (missing.length) input.warnings.push(`async MV ${db.name}.${mv.name} reads ${missing.map((b) => `${b.database}.${b.name}`).join(', ')}, which the plan does not migrate: its refresh will fail until they exist`);
      const ddl = renameDatabases(mv.createSql, input.renames).replace(/^CREATE MATERIALIZED VIEW\s+(`(?:[^`]|``)+`|\S+)/i, (_m, name: string) => `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name.includes('.') ? name : `\`${target(db.name).replace(/`/g, '``')}\`.${name}`}`);
      steps.push({
        id: `mtmv:${target(db.name)}:${mv.name}`, kind: 'mtmv', cluster: 'target', database: target(db.name), object: mv.name,
        sql: [ddl, sql.refreshMaterializedView(target(db.name), mv.name)], automatic: true,
        title: `recreate async materialized view ${target(db.name)}.${mv.name} and refresh it`, dependsOn: [...new Set(deps)],
      });
    }
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
