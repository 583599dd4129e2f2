// What a plan restores under another name on the target: renamed databases (--rename) and
// tables restored under an alias (--on-conflict alias), for review and the report. Pure.
import type { Plan } from './schema.js';

export interface Rename {
  kind: 'database' | 'table';
  /** On the source: `db` or `db.table`. */
  from: string;
  /** On the target: `db` or `db.table`. */
  to: string;
}

export function renamesOf(plan: Plan): Rename[] {
  const out: Rename[] = plan.databases.filter((d) => d.target !== d.source).map((d) => ({ kind: 'database' as const, from: d.source, to: d.target }));
  const seen = new Set<string>();
  for (const s of plan.steps) {
    if (s.kind !== 'restore') continue;
    for (const t of s.tables) {
      const from = `${s.sourceDatabase}.${t.name}`;
      if (!t.alias || seen.has(from)) continue;
      seen.add(from);
      out.push({ kind: 'table', from, to: `${s.database}.${t.alias}` });
    }
  }
  return out;
}

/** Excluded objects with the system databases folded into one entry (they are never the user's concern). */
export function foldSystemDatabases(excluded: Plan['excluded']): Plan['excluded'] {
  const system = excluded.filter((e) => e.kind === 'system-database');
  if (system.length < 2) return excluded;
  const first = system[0]!;
  return [{ ...first, object: `system databases (${system.map((e) => e.object).join(', ')})` }, ...excluded.filter((e) => e.kind !== 'system-database')];
}
