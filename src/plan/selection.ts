// Checks what the user selected against the source catalog before planning: a name that matches
// nothing is a typo, and a typo in --exclude would migrate the very table meant to stay behind.
// Pure.
import type { Catalog, Database } from '../catalog/model.js';
import { usageError } from '../errors.js';

/** Which databases and tables to migrate, and under which target database names. */
export interface PlanSelection {
  /** Source databases to migrate (default: all user databases). */
  databases?: string[];
  /** Only these tables, as `db.table` (default: all). */
  tables?: string[];
  /** Leave these out, as `db` or `db.table`. */
  exclude?: string[];
  /** Source database -> target database. */
  renames?: Record<string, string>;
}

/** `db.name` -> whether the source has such a table, view or async MV. */
function objectExists(db: Database | undefined, name: string): boolean {
  if (!db) return false;
  return db.tables.some((t) => t.name === name) || db.views.some((v) => v.name === name) || db.asyncMaterializedViews.some((m) => m.name === name);
}

/** Splits `db.table` at the first dot (Doris database names hold no dots). */
export function splitQualified(text: string): { database: string; name: string } | undefined {
  const dot = text.indexOf('.');
  return dot > 0 && dot < text.length - 1 ? { database: text.slice(0, dot), name: text.slice(dot + 1) } : undefined;
}

/** Throws one usage error (exit 2) for the first selection entry that names nothing on the source. */
export function checkSelection(catalog: Catalog, selection: PlanSelection): void {
  const byName = new Map(catalog.databases.map((d) => [d.name, d]));
  const have = `have: ${[...byName.keys()].join(', ') || 'none'}`;
  for (const d of selection.databases ?? []) {
    if (!byName.has(d)) throw usageError('unknown-database', `--databases names '${d}', which is not a user database on the source (${have})`);
  }
  for (const d of Object.keys(selection.renames ?? {})) {
    if (!byName.has(d)) throw usageError('unknown-database', `--rename names '${d}', which is not a user database on the source (${have})`);
  }
  for (const [flag, entries, bareDatabaseAllowed] of [['--tables', selection.tables, false], ['--exclude', selection.exclude, true]] as const) {
    for (const entry of entries ?? []) {
      if (bareDatabaseAllowed && !entry.includes('.')) {
        if (!byName.has(entry)) throw usageError('unknown-object', `${flag} names '${entry}', which is not a user database on the source (${have})`);
        continue;
      }
      const q = splitQualified(entry);
      if (!q || !objectExists(byName.get(q.database), q.name)) {
        throw usageError('unknown-object', `${flag} names '${entry}', which is not on the source: write it as db.table with names as SHOW TABLES prints them`);
      }
    }
  }
}

/** Throws when two migrated databases would restore into the same target database. */
export function checkTargetNames(chosen: string[], renames: Record<string, string>): void {
  const seen = new Map<string, string>();
  for (const d of chosen) {
    const target = renames[d] ?? d;
    const other = seen.get(target);
    if (other !== undefined) {
      throw usageError('rename-collision', `--rename maps both ${other} and ${d} to ${target}: each database needs its own target database`);
    }
    seen.set(target, d);
  }
}
