// What every step of a run shares: the plan, its state and how to save it, the clusters, the
// clock, the event sink and the stop signal. The step modules (steps/*) take this and nothing else.
import type { DorisClient } from '../doris/client.js';
import type { Plan, Step } from '../plan/schema.js';
import type { RepositoryBackend } from '../storage/backend.js';
import type { RepositorySecrets } from '../storage/properties.js';
import { repositorySecretValues, secretMask, type Mask } from '../secrets.js';
import { coalescedSaves, type CheckpointStore } from './checkpoint.js';
import type { RunEvent } from './events.js';
import { isJobStep, type RunState, type StepState } from './state-model.js';
import { Throughput } from './watcher.js';

export interface RunDeps {
  source: DorisClient;
  target: DorisClient;
  /** Repository checks (preflight, snapshot files); absent where the backend cannot be reached from here. */
  repository?: RepositoryBackend;
  secrets: RepositorySecrets;
  checkpoint: CheckpointStore;
  emit: (e: RunEvent) => void;
  signal: AbortSignal;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The longest wait between two looks at a running job (--poll-interval); the watcher looks more
   * often near a job's start and its expected end (watcher.ts), and never waits longer than this.
   */
  pollIntervalMs: number;
  /**
   * How long a cluster may stay unreachable while we watch a job (an FE restart, a network blip)
   * before the step fails; it stays resumable either way. Default 5 minutes.
   */
  outageMs?: number;
  /** Run manual follow-ups' SQL (and count them done) instead of leaving them for a person. */
  followups?: boolean;
  /** Skip what drifted on the source since planning instead of refusing the run (apply --accept-drift). */
  acceptDrift?: boolean;
}

/** Thrown out of `sleep` once the run is asked to stop; the step ends quietly where it stands. */
export class Aborted extends Error {}

export interface RunContext {
  plan: Plan;
  deps: RunDeps;
  state: RunState;
  st(id: string): StepState;
  client(cluster: 'source' | 'target'): DorisClient;
  /**
   * Durably records the given steps' states (and the run's). Transitions of one event-loop turn
   * share a write; a transition followed by a side effect (or reported as final) awaits it: the
   * write-ahead rule.
   */
  save(step: string, ...more: string[]): Promise<void>;
  /** Durably records the whole state at once (a snapshot: the journal is folded into it). */
  saveAll(): Promise<void>;
  /** Waits, or throws `Aborted` once the run is asked to stop. */
  sleep(ms: number): Promise<void>;
  /**
   * Marks the step done (durably), then reports it. A job's end is told to `jobEnded` at once, so
   * the run can start the next job in its slot while the outcome is written (their writes coalesce).
   */
  finish(step: Step, note?: string): Promise<void>;
  /**
   * Masks the repository's secrets in a text about to be recorded or reported: a Doris error may
   * echo CREATE REPOSITORY, the only statement of ours that carries secrets.
   */
  mask: Mask;
  /** Marks the step failed (durably, its error masked), then reports it. `inFlight`: its attempt may still be live on Doris. */
  fail(step: Step, error: string, inFlight?: 'submitting' | 'running'): Promise<void>;
  /** Throughput of this run's finished jobs, per cluster: what the watcher expects of the next. */
  throughput: Throughput;
  /** Preflight refused the run: nothing new is scheduled. */
  refuse(): void;
  readonly refused: boolean;
}

export function runContext(plan: Plan, deps: RunDeps, state: RunState, jobEnded: () => void = () => undefined): RunContext {
  // Steps changed since the last write; a failed write puts its steps back for the next one.
  const dirty = new Set<string>();
  let all = false;
  const saves = coalescedSaves(() => {
    state.updatedAt = deps.now().toISOString();
    const changed = [...dirty];
    const whole = all;
    dirty.clear();
    all = false;
    const putBack = (e: unknown): never => {
      for (const id of changed) dirty.add(id);
      all ||= whole;
      throw e;
    };
    try {
      const written = whole ? deps.checkpoint.save(state) : deps.checkpoint.save(state, changed);
      return written instanceof Promise ? written.catch(putBack) : undefined;
    } catch (e) {
      return putBack(e);
    }
  });
  let refused = false;
  const ctx: RunContext = {
    plan,
    deps,
    state,
    st: (id) => state.steps[id]!,
    throughput: new Throughput(),
    mask: secretMask(repositorySecretValues(deps.secrets)),
    client: (cluster) => (cluster === 'source' ? deps.source : deps.target),
    save: (...steps: string[]) => {
      for (const id of steps) dirty.add(id);
      return saves.request();
    },
    saveAll: () => {
      all = true;
      return saves.request();
    },
    async sleep(ms) {
      if (deps.signal.aborted) throw new Aborted();
      await deps.sleep(ms, deps.signal).catch(() => undefined);
      if (deps.signal.aborted) throw new Aborted();
    },
    async finish(step, note) {
      const s = ctx.st(step.id);
      s.status = 'done';
      s.finishedAt = deps.now().toISOString();
      delete s.lastError;
      const saved = ctx.save(step.id);
      if (isJobStep(step.kind)) jobEnded();
      await saved;
      deps.emit({ kind: 'step-finished', step: step.id, title: step.title, ...(note ? { note } : {}) });
    },
    async fail(step, text, inFlight) {
      const error = ctx.mask(text);
      const s = ctx.st(step.id);
      s.status = 'failed';
      s.lastError = error;
      if (inFlight) s.inFlight = inFlight;
      else delete s.inFlight;
      await ctx.save(step.id);
      deps.emit({ kind: 'step-failed', step: step.id, title: step.title, error });
    },
    refuse() {
      refused = true;
    },
    get refused() {
      return refused;
    },
  };
  return ctx;
}
