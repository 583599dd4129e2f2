// A Verification for a terminal: one summary line, then a table of differences. Pure.
import type { Verification } from './model.js';

export function verificationText(v: Verification): string {
  const what = `${v.databases} database(s), ${v.tables} table(s), ${v.views} view(s), ${v.rows} source rows (${v.level})`;
  const unchecked = (v.notChecked ?? []).map((n) => `not checked: ${n.object} ${n.reason}\n`).join('');
  // With no table or view in scope, "match" would claim a comparison that never happened.
  if (v.differences.length === 0 && v.tables === 0 && v.views === 0) return `verified ${what}: nothing to compare (the plan copies no table or view)\n${unchecked}`;
  if (v.differences.length === 0) return `verified ${what}: source and target match\n${unchecked}`;
  const rows = [['object', 'aspect', 'expected (source / plan)', 'actual (target)'], ...v.differences.map((d) => [d.object, d.aspect, d.expected, d.actual])];
  const widths = rows[0]!.map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [`verified ${what}: ${v.differences.length} difference(s)`, '', line(rows[0]!), ...rows.slice(1).map(line), ''].join('\n') + unchecked;
}
