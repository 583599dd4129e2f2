// Live progress in a terminal with listr2: the title counts steps and bytes and gives an ETA; one
// line per running job (database, label, Doris state and progress, elapsed). Non-TTY runs use
// the plain lines of progress.ts instead.
import type { Plan } from '../plan/schema.js';
import { formatBytes, formatDuration } from '../plan/render.js';
import type { RunEvent } from '../run/events.js';

const elapsed = (ms: number): string => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : formatDuration(ms / 1000));

export async function withLiveProgress<T>(plan: Plan, run: (emit: (e: RunEvent) => void) => Promise<T>): Promise<T> {
  const { Listr } = await import('listr2');
  const bytesOf = new Map(plan.steps.map((s) => [s.id, s.kind === 'backup' || s.kind === 'restore' ? s.bytes : 0]));
  const bytesTotal = [...bytesOf.values()].reduce((a, b) => a + b, 0);
  const jobs = new Map<string, string>();
  const notes: string[] = [];
  let done = 0;
  let bytesDone = 0;
  const started = Date.now();
  let result: T | undefined;
  const list = new Listr(
    [
      {
        title: `applying ${plan.name}`,
        task: async (_ctx, task) => {
          const redraw = () => {
            const elapsed = (Date.now() - started) / 1000;
            // An ETA from the first tiny jobs would be noise: wait for 1% of the bytes.
            const eta = bytesDone >= bytesTotal / 100 && bytesDone < bytesTotal ? `, ETA ${formatDuration((elapsed / bytesDone) * (bytesTotal - bytesDone))}` : '';
            // The title is redrawn whole each frame (output would accumulate): summary, then a line per job.
            task.title = [`${plan.name}: ${done}/${plan.steps.length} steps, ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}${eta}`, ...notes.slice(-5).map((n) => `  ${n}`), ...[...jobs.values()].map((j) => `  ${j}`)].join('\n');
          };
          result = await run((e) => {
            if (e.kind === 'run-started') done = e.done;
            if (e.kind === 'step-started' && e.label) jobs.set(e.step, `${e.step} [${e.label}] submitted`);
            if (e.kind === 'job-state') jobs.set(e.step, `${e.database} ${e.label}: ${e.state}${e.progress ? ` ${e.progress}` : ''} (${elapsed(e.elapsedMs)})`);
            if (e.kind === 'step-finished') {
              jobs.delete(e.step);
              done++;
              bytesDone += bytesOf.get(e.step) ?? 0;
            }
            if (e.kind === 'step-retry') notes.push(`retry ${e.step}: ${e.reason}`);
            if (e.kind === 'step-failed') {
              jobs.delete(e.step);
              notes.push(`FAILED ${e.step}: ${e.error}`);
            }
            if (e.kind === 'manual') notes.push(`for a person: ${e.step}: ${e.instructions}`);
            redraw();
          });
        },
      },
    ],
    { rendererOptions: { collapseSubtasks: false }, exitOnError: false },
  );
  await list.run();
  return result as T;
}
