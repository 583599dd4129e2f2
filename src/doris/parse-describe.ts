// `DESC db.tbl ALL` read back: each index of the table with its columns. Doris prints the index's
// name on its first column's row only, so a row without one belongs to the index above it. Pure.
import { text, type Row } from './parse-results.js';

/** The base index (named after the table), as the maps below key it. */
export const BASE_INDEX = '(base)';

/**
 * Index -> its columns as `DESC ALL` prints them (field, type, null, key, default, extra): the base
 * index under BASE_INDEX, then every rollup / sync MV under its own name, in Doris's order.
 */
export function describedIndexes(rows: readonly Row[], table: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const r of rows) {
    const index = text(r, 'IndexName');
    if (index) {
      const name = index === table ? BASE_INDEX : index;
      current = out.get(name) ?? [];
      out.set(name, current);
    }
    const field = text(r, 'Field');
    if (current && field) current.push([field, text(r, 'Type'), text(r, 'Null'), text(r, 'Key'), text(r, 'Default'), text(r, 'Extra')].join(' '));
  }
  return out;
}

/** The rollups / sync MVs of a described table, by name, sorted. */
export const rollupNames = (indexes: ReadonlyMap<string, unknown>): string[] => [...indexes.keys()].filter((n) => n !== BASE_INDEX).sort();
