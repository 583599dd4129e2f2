// What a plan migrated, as pairs of source and target names: the objects `verify` compares. Pure.
import type { Plan } from '../plan/schema.js';

export interface ScopeTable {
  sourceDatabase: string;
  targetDatabase: string;
  /** Name on the source. */
  name: string;
  /** Name on the target (differs under the `alias` conflict policy). */
  targetName: string;
  /** Only these partitions were migrated; undefined: the whole table. */
  partitions?: string[];
}

export interface ScopeMv {
  targetDatabase: string;
  name: string;
}

export interface VerifyScope {
  /** Source database -> target database. */
  databases: Map<string, string>;
  tables: ScopeTable[];
  mvs: ScopeMv[];
}

const key = (db: string, name: string): string => `${db}\u0000${name}`;

export function verifyScope(plan: Plan): VerifyScope {
  const databases = new Map<string, string>();
  const tables = new Map<string, ScopeTable>();
  const mvs: ScopeMv[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'mtmv') mvs.push({ targetDatabase: step.database, name: step.object });
    if (step.kind !== 'restore') continue;
    databases.set(step.sourceDatabase, step.database);
    for (const t of step.tables) {
      const k = key(step.sourceDatabase, t.name);
      const seen = tables.get(k);
      // A table split by partitions over several restores is one table with all their partitions.
      if (seen) {
        if (seen.partitions && t.partitions) seen.partitions.push(...t.partitions);
        else delete seen.partitions;
        continue;
      }
      tables.set(k, {
        sourceDatabase: step.sourceDatabase, targetDatabase: step.database, name: t.name, targetName: t.alias ?? t.name,
        ...(t.partitions ? { partitions: [...t.partitions] } : {}),
      });
    }
  }
  // A catch-up copies parts of tables; what it must leave is the whole migration matching.
  if (plan.catchUp && plan.read) {
    for (const t of tables.values()) delete t.partitions;
    for (const [source, names] of Object.entries(plan.read.tables)) {
      const targetDatabase = plan.read.databases[source] ?? databases.get(source) ?? source;
      databases.set(source, targetDatabase);
      for (const name of Object.keys(names)) {
        // What the catch-up itself leaves out (with its reason in the plan) is not checked, as in any plan.
        if (plan.excluded.some((e) => e.object === `${source}.${name}`)) continue;
        if (!tables.has(key(source, name))) tables.set(key(source, name), { sourceDatabase: source, targetDatabase, name, targetName: plan.read.targetNames[`${source}.${name}`] ?? name });
      }
    }
  }
  return { databases, tables: [...tables.values()], mvs };
}
