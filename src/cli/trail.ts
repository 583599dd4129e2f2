// The trail of a plan's runs: every event of every run appended as one JSON line to
// plans/<name>.log (time first), so what happened outlives the terminal. `apply --json` writes
// the same lines to stdout for CI. Secrets never reach a line: every value the run knows as a
// secret is masked wherever it appears (a Doris error may echo a statement).
import { appendFileSync } from '../file-layer.js';
import { fileError } from '../atomic-file.js';
import type { RunEvent } from '../run/events.js';

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

/** Masks each secret (and only non-trivial ones: a 1-character "secret" would mask half the log). */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 3))].sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, v) => t.split(v).join('***'), text);
}

/** One JSON line: `time`, then the event's fields. */
export const trailLine = (e: TrailEvent, now: Date, redact: (t: string) => string): string => redact(JSON.stringify({ time: now.toISOString(), ...e }));

export function openTrail(planPath: string, secrets: readonly (string | undefined)[], echo?: (line: string) => void, now: () => Date = () => new Date()): Trail {
  const path = logPath(planPath);
  const redact = redactor(secrets);
  return {
    path,
    write(e) {
      const line = trailLine(e, now(), redact);
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
