// How long something took, as measured (a run, a stage, a job): from two ISO times, and as text
// for people. Estimates are rounded coarser by the plan's own renderer. Pure.

/** Seconds from `from` to `to` (ISO times), never negative; undefined unless both are known. */
export const secondsBetween = (from?: string, to?: string): number | undefined => (from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : undefined);

/** `0.4 s`, `42 s`, `3 min 5 s`, `2 h 10 min`; `—` when unknown. */
export function formatElapsed(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h ? `${h} h ${m} min` : `${m} min ${s} s`;
}
