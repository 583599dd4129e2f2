// How `status` names the state it shows (read by load-run-state.ts: the newer of the local file and
// the run's record in the repository), so "not started" is never mistaken for more than this
// machine can see.
import type { LoadedRunState } from './load-run-state.js';

/** One phrase saying which state a view used, for the text outputs. */
export function stateSource(v: LoadedRunState): string {
  if (v.from === 'local') return `from ${v.path}`;
  if (v.from === 'repository') return `from the run's record in ${v.where} (${v.localFound ? `newer than ${v.path}` : 'no local state file'})`;
  return v.unread ? `no local state file; the run's record could not be read: ${v.unread}` : `no local state file, no record in ${v.where}`;
}
