// Live progress in a terminal with listr2: the title counts steps and bytes (running jobs by
// their Progress column) and gives an ETA; one line per running job (database, label, Doris
// state and progress, elapsed). The task ends ✖ unless the run is done. Non-TTY runs use the
// plain lines of progress.ts instead.
import type { Plan } from '../plan/schema.js';
import { formatBytes, formatDuration } from '../plan/render.js';
import type { RunEvent } from '../run/events.js';
import { ByteMeter } from './progress-bytes.js';
import { formatElapsed } from '../elapsed.js';

export async function withLiveProgress<T>(plan: Plan, run: (emit: (e: RunEvent) => void) => Promise<T>, succeeded: (result: T) => boolean): Promise<T> {
  const { Listr } = await import('listr2');
  const bytes = new ByteMeter(plan);
  const jobs = new Map<string, string>();
  const notes: string[] = [];
  let done = 0;
  // Bytes already moved when this run started (a resumed run) do not count towards its speed.
  let movedAtStart: number | undefined;
  const started = Date.now();
  let result: T | undefined;
  let failure: { error: unknown } | undefined;
  let headline = '';
  let counts = '';
  const list = new Listr(
    [
      {
        title: `applying ${plan.name}`,
        task: async (_ctx, task) => {
          const redraw = () => {
            const seconds = (Date.now() - started) / 1000;
            const moved = bytes.moved;
            const movedHere = moved - (movedAtStart ?? 0);
            // An ETA from the first tiny jobs would be noise: wait for 1% of the bytes.
            const eta = movedHere >= bytes.total / 100 && movedHere > 0 && moved < bytes.total ? `, ETA ${formatDuration((seconds / movedHere) * (bytes.total - moved))}` : '';
            counts = `${plan.name}: ${done}/${plan.steps.length} steps, ${formatBytes(moved)} of ${formatBytes(bytes.total)}`;
            headline = `${counts}${eta}`;
            // The title is redrawn whole each frame (output would accumulate): summary, then a line per job.
            task.title = [headline, ...notes.slice(-5).map((n) => `  ${n}`), ...[...jobs.values()].map((j) => `  ${j}`)].join('\n');
          };
          const emit = (e: RunEvent) => {
            if (e.kind === 'run-started') {
              done = e.done;
              movedAtStart = bytes.moved;
            }
            if (e.kind === 'step-started' && e.label) jobs.set(e.step, `${e.step} [${e.label}] submitted`);
            if (e.kind === 'job-state') {
              bytes.job(e.step, e.state, e.progress);
              jobs.set(e.step, `${e.database} ${e.label}: ${e.state}${e.progress ? ` ${e.progress}` : ''} (${formatElapsed(e.elapsedMs / 1000)})`);
            }
            if (e.kind === 'step-finished') {
              jobs.delete(e.step);
              done++;
              bytes.finished(e.step);
            }
            if (e.kind === 'step-retry') notes.push(`retry ${e.step}: ${e.reason}`);
            if (e.kind === 'step-failed') {
              jobs.delete(e.step);
              bytes.stopped(e.step);
              notes.push(`FAILED ${e.step}: ${e.error}`);
            }
            if (e.kind === 'manual') notes.push(`for a person: ${e.step}: ${e.instructions}`);
            redraw();
          };
          try {
            result = await run(emit);
          } catch (error) {
            // listr2 keeps a task's error to itself (exitOnError: false): it is thrown again below.
            failure = { error };
            throw error;
          }
          if (!succeeded(result)) {
            // A run that did not finish must not end under a green ✔: the task fails with its last state.
            throw new Error([counts, ...notes.slice(-5).map((n) => `  ${n}`)].join('\n'));
          }
          task.title = counts;
        },
      },
    ],
    // registerSignalListeners: listr2's own SIGINT handler exits 127 before the run saves and
    // releases its lock; signals belong to cli/interrupt.ts.
    { rendererOptions: { collapseSubtasks: false, collapseErrors: false }, exitOnError: false, registerSignalListeners: false },
  );
  await list.run();
  if (failure) throw failure.error;
  return result as T;
}
