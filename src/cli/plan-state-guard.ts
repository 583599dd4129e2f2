// A plan file whose migration has state (it was applied) is never silently replaced: `plan`
// refuses, or with --force moves the old state (snapshot and journal) aside, so the new plan
// starts clean and the old run's record stays readable.
import { existsSync, renameSync } from 'node:fs';
import { usageError } from '../errors.js';
import { journalPath } from '../run/journal.js';
import { statePath } from './run-context.js';

/** Refuses (exit 2) before anything is read when `out` has state and --force is not given. */
export function refuseOverwritingState(out: string, force: boolean | undefined): void {
  const state = statePath(out);
  if (force || !(existsSync(state) || existsSync(journalPath(state)))) return;
  throw usageError('plan-has-state', `${out} belongs to a migration that was applied (its state is ${state}): choose another --name, or pass --force to archive that state beside it and start over`);
}

/** With --force: moves the old state aside (`<name>.state.archived-<time>.json` and its journal); returns the new names. */
export function archiveState(out: string, now: Date): string[] {
  const state = statePath(out);
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const moved: string[] = [];
  for (const from of [state, journalPath(state)]) {
    if (!existsSync(from)) continue;
    const to = from.replace(/\.state\.(json|journal)$/, `.state.archived-${stamp}.$1`);
    renameSync(from, to);
    moved.push(to);
  }
  return moved;
}
