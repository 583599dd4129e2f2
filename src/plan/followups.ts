// What Doris leaves to a person after RESTORE: colocation groups (when the restore cannot keep
// them), async MVs (never in a snapshot) and views that point outside the plan. Pure.
import type { AsyncMaterializedView, Catalog, Database } from '../catalog/model.js';
import { sameAllocation } from '../doris/replica-allocation.js';
import { sql } from '../doris/sql.js';
import { targetMvStatement } from './mv-ddl.js';
import { replicationProperties } from './restore-properties.js';
import type { Exclusion, Replication, RestoreStep, Step } from './schema.js';

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
  /** The restore steps: a table restored under an alias is altered under that name. */
  restores: RestoreStep[];
  /** The plan's replication: partitions a dynamic-partition scheduler adds must get it too. */
  replication: Replication;
  warnings: string[];
  /** The plan's exclusions: an async MV that cannot be recreated gets its reason and remedy there. */
  excluded?: Exclusion[];
}

/** The plan's replication as an allocation; undefined when the plan keeps the source's. */
function plannedAllocation(r: Replication): string | undefined {
  if ('num' in r) return `tag.location.default: ${r.num}`;
  if ('allocation' in r) return r.allocation;
  return undefined;
}

export function followUpSteps(input: FollowUpInput): Step[] {
  const steps: Step[] = [];
  const target = (db: string) => input.renames[db] ?? db;
  const chosen = new Set(input.databases.map((d) => d.name));
  // Source `db.table` -> its name on the target: the alias a conflict gave it, or its own.
  const aliases = new Map(input.restores.flatMap((r) => r.tables.flatMap((t) => (t.alias ? [[`${r.sourceDatabase}.${t.name}`, t.alias] as const] : []))));
  const targetTable = (db: string, table: string) => aliases.get(`${db}.${table}`) ?? table;

  if (!input.targetReservesColocate) {
    for (const group of input.catalog.colocateGroups) {
      if (!chosen.has(group.database)) continue;
      // Group order: the first member defines the group on the target with its bucket count, and
      // each later one joins only after the ones before it, so every join meets an existing group.
      const members: string[] = [];
      for (const table of group.tables) {
        const restores = input.restoredBy.get(`${group.database}.${table}`);
        if (!restores) continue;
        const [db, name] = [target(group.database), targetTable(group.database, table)];
        const id = `colocate:${db}:${name}`;
        steps.push({
          id, kind: 'colocate', cluster: 'target', database: db, object: name,
          sql: [sql.alterTableSet(db, name, { colocate_with: group.name })], automatic: true, expect: { colocate_with: group.name },
          title: `put ${db}.${name} back in colocation group ${group.name}`, dependsOn: [...restores, ...members],
        });
        members.push(id);
      }
    }
  }

  const planned = plannedAllocation(input.replication);
  for (const db of input.databases) {
    for (const table of db.tables) {
      const restores = input.restoredBy.get(`${db.name}.${table.name}`);
      const dynamic = table.dynamicPartition;
      if (!dynamic || !restores) continue;
      const wanted: Record<string, string> = {};
      // RESTORE keeps dynamic_partition.replication_* as the source had them: the partitions the
      // scheduler adds would get the source's replica count, not the one the plan asked for.
      const sourceAllocation = dynamic.replication_allocation ?? (dynamic.replication_num ? `tag.location.default: ${dynamic.replication_num}` : undefined);
      if (planned && sourceAllocation !== undefined && !sameAllocation(sourceAllocation, planned)) wanted['dynamic_partition.replication_allocation'] = planned;
      // RESTORE keeps every other key but `enable`, which a split table gets back only after its
      // last part is in (build-plan.ts leaves reserve_dynamic_partition_enable off for it).
      const reenable = dynamic.enable === 'true' && input.splitTables.has(`${db.name}.${table.name}`);
      if (reenable) wanted['dynamic_partition.enable'] = 'true';
      if (Object.keys(wanted).length === 0) continue;
      const [tdb, name] = [target(db.name), targetTable(db.name, table.name)];
      const what = [...(wanted['dynamic_partition.replication_allocation'] ? [`give new partitions of ${tdb}.${name} the planned replication`] : []), ...(reenable ? [`switch dynamic partitioning of ${tdb}.${name} back on`] : [])];
      steps.push({
        id: `dynamic-partition:${tdb}:${name}`, kind: 'dynamic-partition', cluster: 'target', database: tdb, object: name,
        sql: [sql.alterTableSet(tdb, name, wanted)], automatic: true, expect: wanted, title: what.join(' and '), dependsOn: [...restores],
      });
    }
  }
  steps.push(...mvSteps(input, target, aliases));

  for (const db of input.databases) {
    for (const view of db.views) {
      const outside = view.references.filter((r) => !input.restoredBy.has(`${r.database}.${r.name}`) && !db.views.some((v) => r.database === db.name && v.name === r.name));
      if (!outside.length || !input.restoredBy.has(`${db.name}.${view.name}`)) continue;
      steps.push({
        id: `manual:${target(db.name)}:${targetTable(db.name, view.name)}`, kind: 'manual', title: `check view ${target(db.name)}.${targetTable(db.name, view.name)}`,
        instructions: `The view reads ${outside.map((r) => `${r.database}.${r.name}`).join(', ')}, which this plan does not migrate: create those objects on the target or fix the view, or it cannot be queried.`,
        sql: [], dependsOn: input.restoredBy.get(`${db.name}.${view.name}`) ?? [],
      });
    }
  }
  return steps;
}

/** Async MVs in an order where an MV built on another MV comes after it, each after its bases. */
function mvSteps(input: FollowUpInput, target: (db: string) => string, aliases: ReadonlyMap<string, string>): Step[] {
  const steps: Step[] = [];
  const kept = new Map<string, { db: string; mv: AsyncMaterializedView }>();
  for (const db of input.databases) {
    for (const mv of db.asyncMaterializedViews) if (input.selectedMvs.has(`${db.name}.${mv.name}`)) kept.set(`${db.name}.${mv.name}`, { db: db.name, mv });
  }
  const stepId = (db: string, name: string) => `mtmv:${target(db)}:${name}`;
  const done = new Set<string>();
  const leftOut = new Set<string>();
  const visit = (key: string, path: Set<string>) => {
    const entry = kept.get(key);
    if (!entry || done.has(key) || path.has(key)) return; // path: an MV cycle cannot be created anyway
    path.add(key);
    const { db, mv } = entry;
    const bases = mv.baseTables.map((b) => `${b.database}.${b.name}`);
    for (const b of bases) visit(b, path);
    const deps = bases.flatMap((b) => (kept.has(b) ? [stepId(kept.get(b)!.db, kept.get(b)!.mv.name)] : (input.restoredBy.get(b) ?? [])));
    const missing = bases.filter((b) => (!kept.has(b) || leftOut.has(b)) && !input.restoredBy.has(b));
    if (missing.length) {
      // Doris binds an MV's query at CREATE: without its base tables on the target the statement
      // fails, so the MV is left out (with the way to bring it over) rather than planned to fail.
      leftOut.add(key);
      const excluded = (input.excluded ??= []);
      const exclusion = excluded.find((e) => e.kind === 'async-mv' && e.object === key);
      const reason = `async materialized view reading ${missing.join(', ')}, which this plan does not bring to the target: CREATE MATERIALIZED VIEW fails without its base tables`;
      const remedy = `migrate ${missing.join(', ')} too (select ${[...new Set(missing.map((b) => b.slice(0, b.indexOf('.'))))].join(', ')}), or create the MV by hand once they exist on the target (SHOW CREATE MATERIALIZED VIEW ${key} on the source)`;
      if (exclusion) Object.assign(exclusion, { reason, remedy });
      else excluded.push({ object: key, kind: 'async-mv', reason, remedy });
      done.add(key);
      return;
    }
    const aliased = bases.filter((b) => aliases.has(b));
    if (aliased.length) input.warnings.push(`async MV ${db}.${mv.name} reads ${aliased.map((b) => `${b} (restored as ${aliases.get(b)})`).join(', ')}: its recreated DDL still names the table that was on the target; fix the MV after the migration or plan without --on-conflict alias`);
    steps.push({
      id: stepId(db, mv.name), kind: 'mtmv', cluster: 'target', database: target(db), object: mv.name,
      sql: [targetMvStatement(mv.createSql, target(db), input.renames, replicationProperties(input.replication)), sql.refreshMaterializedView(target(db), mv.name)], automatic: true,
      title: `recreate async materialized view ${target(db)}.${mv.name} and refresh it`, dependsOn: [...new Set([`db:${target(db)}`, ...deps])],
    });
    done.add(key);
  };
  for (const key of kept.keys()) visit(key, new Set());
  return steps;
}
