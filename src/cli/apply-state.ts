// apply's state: the local file and the copy in the repository (whichever is newer, load-run-state.ts),
// bound to the plan's clusters and repository, and checked against the plan it was made with.
import { usageError, refusedError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import type { CheckpointStore } from '../run/checkpoint.js';
import type { RunState } from '../run/state-model.js';
import { diffDigests, stepDigests } from '../plan/fingerprint.js';
import type { RepositoryBackend } from '../storage/backend.js';
import { writeLine, type CliIO } from './io.js';

export async function openRunState(plan: Plan, planFile: string, planArg: string, repository: RepositoryBackend | undefined, flags: { acceptPlanChanges?: boolean }, io: CliIO): Promise<{ checkpoint: CheckpointStore; state: RunState | undefined }> {
  const { loadRunState } = await import('./load-run-state.js');
  const { bindingOf, bindingProblem } = await import('../run/state-model.js');
  const { state, checkpoint, note, path } = await loadRunState(plan, planFile, { strict: { repository, verb: 'resumed' } });
  if (note) writeLine(io.stderr, note);
  if (!state) return { checkpoint, state };

  const problem = bindingProblem(plan, state);
  if (problem) throw refusedError('state-elsewhere', `the state of ${plan.name} belongs to another migration (${problem}): a state is never carried to other clusters or another repository; make a plan with another --name for these, or move ${path} away`);
  state.binding ??= bindingOf(plan);
  if (state.fingerprint !== plan.fingerprint) acceptChanges(plan, planArg, state, flags.acceptPlanChanges ?? false);
  // A state of this plan that lacks one of its steps was cut or edited by hand: the run would
  // otherwise trip over the missing entry halfway.
  const lacking = plan.steps.filter((s) => !state.steps[s.id]).map((s) => s.id);
  if (lacking.length) throw usageError('state-invalid', `state file ${checkpoint.path} lacks step(s) ${lacking.slice(0, 5).join(', ')} of ${planArg}: restore the file, or move it away to start over knowingly`);
  return { checkpoint, state };
}

/**
 * The plan was re-made after the run started. Without --accept-plan-changes: refused, naming the
 * difference. With it: added steps run, removed ones are dropped from view, and steps whose
 * content changed (a batch that gained a table) run again under their next attempt label, with
 * the restores of a changed backup (they restore its new snapshot), and the verification again.
 */
function acceptChanges(plan: Plan, planArg: string, state: RunState, accept: boolean): void {
  const now = stepDigests(plan);
  const known = new Set(Object.keys(state.steps));
  // States from before step digests can only tell added and removed steps apart.
  const { added, removed, changed } = state.stepDigests
    ? diffDigests(state.stepDigests, now)
    : { added: plan.steps.filter((s) => !known.has(s.id)).map((s) => s.id), removed: [...known].filter((id) => !plan.steps.some((s) => s.id === id)), changed: [] as string[] };
  const difference = `steps added: ${added.join(', ') || 'none'}; changed: ${changed.join(', ') || 'none'}; removed: ${removed.join(', ') || 'none'}`;
  if (!accept) throw usageError('plan-changed', `${planArg} is not the plan this migration started with (${difference}): run with --accept-plan-changes to continue with the new plan (changed steps run again), or use the original plan`);
  const redo = new Set(changed);
  for (const s of plan.steps) if (s.kind === 'restore' && redo.has(s.backupStep)) redo.add(s.id);
  // A verdict on the old plan says nothing of the new one: it is dropped and the check made again.
  for (const s of plan.steps) if (s.kind === 'verify') redo.add(s.id);
  delete state.verification;
  for (const id of added) state.steps[id] = { status: 'pending', attempt: 0, history: [] };
  for (const id of redo) {
    const s = state.steps[id];
    if (!s || s.status === 'pending') continue;
    // A step whose job may still run is reconciled first by apply; only a settled one starts over.
    if (s.status === 'submitting' || s.status === 'running') continue;
    s.history.push({ attempt: s.attempt, label: s.label ?? '', outcome: 'plan changed: run again', at: new Date().toISOString() });
    s.status = 'pending';
    delete s.inFlight;
    delete s.lastError;
  }
  state.fingerprint = plan.fingerprint;
  state.stepDigests = now;
}
