// Walking a job one state at a time on a paused simulator clock.
import type mysql from 'mysql2/promise';
import { rowsOf, type Row } from '../../support/jobs.js';

/** The latest row of `sql` (SHOW BACKUP / SHOW RESTORE) once its State differs from `from` (real-time bound). */
async function changed(c: mysql.Connection, sql: string, from: string | null): Promise<Row> {
  const until = Date.now() + 5000;
  for (;;) {
    const row = (await rowsOf(c, sql)).at(-1)!;
    if (row.State !== from || Date.now() > until) return row;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * With the clock paused, each 4-second advance lets a job take exactly one step: advance, wait
 * for the step, and record each state seen until `last` (or `max` states).
 */
export async function walkStates(c: mysql.Connection, sql: string, last: string, max = 12): Promise<string[]> {
  const seen = [(await rowsOf(c, sql)).at(-1)!.State!];
  while (seen.at(-1) !== last && seen.length < max) {
    await c.query('ADMIN SIM ADVANCE CLOCK 4');
    seen.push((await changed(c, sql, seen.at(-1)!)).State!);
  }
  return seen;
}

/** Steps the paused clock until the job shows `state`; returns that row. */
export async function stepTo(c: mysql.Connection, sql: string, state: string): Promise<Row> {
  const seen = await walkStates(c, sql, state);
  if (seen.at(-1) !== state) throw new Error(`never reached ${state}: ${seen.join(' > ')}`);
  return (await rowsOf(c, sql)).at(-1)!;
}
