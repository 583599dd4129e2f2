// Bytes moved so far, counting the jobs still running: Doris's `Progress` column lists each
// upload or download task as `[<signature>: <finished>/<total>]` (files), joined by ", "
// (BackupJob/RestoreJob#getInfo, the same in 2.0 to 4.0; newer builds show at most 100 tasks).
// A job's bytes are counted by the share of files its tasks have moved. Pure.
import { filesMoved, MOVING_STATES } from '../doris/job-states.js';
import { progressFraction } from '../doris/parse-results.js';
import type { Plan } from '../plan/schema.js';

export { progressFraction };

/** Share of a job's bytes moved in a Doris state with a Progress text. */
export function movedShare(state: string, progress: string): number {
  if (filesMoved(state)) return 1;
  if (MOVING_STATES.has(state)) return progressFraction(progress) ?? 0;
  return 0;
}

/** Bytes of finished jobs plus the moved share of running ones. */
export class ByteMeter {
  private readonly bytesOf: Map<string, number>;
  private readonly running = new Map<string, number>();
  private finishedBytes = 0;
  readonly total: number;

  constructor(plan: Plan) {
    this.bytesOf = new Map(plan.steps.map((s) => [s.id, s.kind === 'backup' || s.kind === 'restore' ? s.bytes : 0]));
    this.total = [...this.bytesOf.values()].reduce((a, b) => a + b, 0);
  }

  /** A job's latest state and Progress text. */
  job(step: string, state: string, progress: string): void {
    this.running.set(step, (this.bytesOf.get(step) ?? 0) * movedShare(state, progress));
  }

  finished(step: string): void {
    this.running.delete(step);
    this.finishedBytes += this.bytesOf.get(step) ?? 0;
  }

  /** The step stopped without finishing (failed, interrupted): its partial bytes no longer count. */
  stopped(step: string): void {
    this.running.delete(step);
  }

  get moved(): number {
    return this.finishedBytes + [...this.running.values()].reduce((a, b) => a + b, 0);
  }
}
