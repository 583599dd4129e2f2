// The trail of a plan's runs: every event of every run appended as one JSON line to
// plans/<name>.log (time first), so what happened outlives the terminal. `apply --json` writes
// the same lines to stdout for CI. Secrets never reach a line: every string of an event is masked
// (secrets.ts) before it is written, whatever made it.
import { appendFileSync } from '../file-layer.js';
import { fileError } from '../atomic-file.js';
import type { RunEvent } from '../run/events.js';
import { maskedJson, type Mask } from '../secrets.js';

/** Events of the CLI around the runner's own: who started the run, and how it ended. */
export type TrailEvent =
  | RunEvent
  | { kind: 'apply-started'; plan: string; fingerprint: string; tool: string; operator: string; host: string; pid: number }
  | { kind: 'apply-ended'; result: string; exitCode: number; error?: string; report?: string };

export const logPath = (planPath: string): string => `${planPath.replace(/\.ya?ml$/i, '')}.log`;

export interface Trail {
  path: string;
  write(e: TrailEvent): void;
}

/** One JSON line: `time`, then the event's fields. */
export const trailLine = (e: TrailEvent, now: Date, mask: Mask): string => maskedJson({ time: now.toISOString(), ...e }, mask);

export function openTrail(planPath: string, mask: Mask, echo?: (line: string) => void, now: () => Date = () => new Date()): Trail {
  const path = logPath(planPath);
  return {
    path,
    write(e) {
      const line = trailLine(e, now(), mask);
      // One append per line: lines of concurrent writers never interleave within a line.
      try {
        appendFileSync(path, `${line}\n`, { mode: 0o600 });
      } catch (err) {
        throw fileError('append to', path, err);
      }
      echo?.(line);
    },
  };
}
