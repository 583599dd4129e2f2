// Renders run events: one plain line per event (CI, pipes, logs). Job-state lines are printed
// when the state changes, so a long job does not flood the log.
import type { RunEvent } from '../run/events.js';
import type { CliIO } from './io.js';
import { formatBytes } from '../plan/render.js';
import { formatElapsed } from '../elapsed.js';

export function lineRenderer(io: CliIO): (e: RunEvent) => void {
  const lastState = new Map<string, string>();
  const stamp = () => new Date().toISOString().slice(11, 19);
  const line = (s: string) => io.stdout.write(`${stamp()} ${s}\n`);
  return (e) => {
    switch (e.kind) {
      case 'run-started':
        return line(`${e.resumed ? 'resuming' : 'starting'} ${e.plan}: ${e.done}/${e.steps} steps done`);
      case 'step-started':
        return line(`${e.adopted ? 'adopt' : 'start'}  ${e.step}${e.label ? ` [${e.label}]` : ''}  ${e.title}`);
      case 'job-state':
        if (lastState.get(e.step) === e.state) return;
        lastState.set(e.step, e.state);
        return line(`job    ${e.step} ${e.database} ${e.label}: ${e.state}${e.progress ? ` ${e.progress}` : ''} (${formatElapsed(e.elapsedMs / 1000)})`);
      case 'step-finished':
        return line(`done   ${e.step}${e.note ? `  (${e.note})` : ''}`);
      case 'step-retry':
        return line(`retry  ${e.step}: ${e.reason}; next label ${e.nextLabel}`);
      case 'step-failed':
        return line(`FAILED ${e.step}: ${e.error}`);
      case 'manual':
        return line(`manual ${e.step}: ${e.instructions}${e.sql.length ? `\n${e.sql.map((s) => `    ${s};`).join('\n')}` : ''}`);
      case 'checkpoint':
        return;
      case 'run-finished':
        return line(`${e.result}: ${e.done}/${e.total} steps, ${formatBytes(e.bytesDone)} of ${formatBytes(e.bytesTotal)} through backup and restore jobs (each byte goes through both)`);
    }
  };
}
