// The report's picture: one row per database, one bar per step from its start to its end, so a
// reader sees where the time went. A self-contained SVG string. Pure.
import type { TimelineBar } from './report-model.js';

const COLOURS: Partial<Record<TimelineBar['kind'], string>> = {
  'create-database': '#bab0ac', backup: '#4e79a7', restore: '#59a14f', colocate: '#f28e2b', 'dynamic-partition': '#f28e2b', mtmv: '#b07aa1', manual: '#edc948',
};
const LEGEND: [string, string][] = [['backup', '#4e79a7'], ['restore', '#59a14f'], ['follow-up', '#f28e2b'], ['async MV', '#b07aa1'], ['database', '#bab0ac'], ['failed or retried', '#e15759']];

/**
 * Escapes text for XML content and attribute values. Line breaks become references too, so the
 * SVG stays one HTML block in Markdown (a blank line would end it) whatever a name holds.
 */
export const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');

function tickStep(totalSeconds: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
  return steps.find((s) => totalSeconds / s <= 8) ?? 604800;
}

const clock = (s: number): string => {
  if (s >= 86400) return `${(s / 86400).toFixed(s % 86400 ? 1 : 0)} d`;
  if (s >= 3600) return `${(s / 3600).toFixed(s % 3600 ? 1 : 0)} h`;
  if (s >= 60) return `${Math.round(s / 60)} min`;
  return `${s} s`;
};

export function timelineSvg(bars: TimelineBar[]): string {
  const byDatabase = new Map<string, TimelineBar[]>();
  for (const b of bars) byDatabase.set(b.database, [...(byDatabase.get(b.database) ?? []), b]);
  const databases = [...byDatabase.keys()];
  const width = 960;
  const left = 200;
  const top = 44;
  // Rows shrink for big plans so hundreds of databases still fit in a picture; names shrink with
  // them (the SVG scales, so a reader can zoom in) and every bar's tooltip names its step.
  const row = databases.length > 80 ? 8 : databases.length > 30 ? 12 : 20;
  const nameSize = Math.min(11, row - 1);
  const height = top + Math.max(1, databases.length) * row + 30;
  const t0 = bars.reduce((m, b) => Math.min(m, Date.parse(b.start)), Infinity);
  const t1 = bars.reduce((m, b) => Math.max(m, Date.parse(b.end)), -Infinity);
  const span = bars.length ? Math.max(1, (t1 - t0) / 1000) : 1;
  const x = (iso: string): number => left + ((Date.parse(iso) - t0) / 1000 / span) * (width - left - 20);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  LEGEND.forEach(([label, colour], i) => {
    parts.push(`<rect x="${left + i * 120}" y="8" width="12" height="12" fill="${colour}"/><text x="${left + i * 120 + 16}" y="18">${label}</text>`);
  });
  const step = tickStep(span);
  for (let s = 0; s <= span; s += step) {
    const px = (left + (s / span) * (width - left - 20)).toFixed(1);
    parts.push(`<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${height - 24}" stroke="#dddddd"/><text x="${px}" y="${height - 10}" text-anchor="middle">${clock(s)}</text>`);
    // A tall picture gets the time axis on top too, so it reads without scrolling to the bottom.
    if (databases.length > 30) parts.push(`<text x="${px}" y="${top - 9}" text-anchor="middle">${clock(s)}</text>`);
  }
  databases.forEach((db, i) => {
    const y = top + i * row;
    const name = [...db].length > 30 ? `${[...db].slice(0, 29).join('')}…` : db;
    parts.push(`<text x="${left - 6}" y="${(y + row * 0.5 + nameSize * 0.35).toFixed(1)}" text-anchor="end"${nameSize < 11 ? ` font-size="${nameSize}"` : ''}>${xml(name)}</text>`);
    for (const b of byDatabase.get(db) ?? []) {
      const x1 = x(b.start);
      const w = Math.max(1.5, x(b.end) - x1);
      const troubled = b.status === 'failed' || b.attempts.length > 0;
      const tip = [`${b.step} (${b.status})`, `${b.start} .. ${b.end}`, ...b.attempts].join('\n');
      parts.push(`<rect x="${x1.toFixed(1)}" y="${y + 1}" width="${w.toFixed(1)}" height="${row - 2}" fill="${COLOURS[b.kind] ?? '#999999'}"${troubled ? ' stroke="#e15759" stroke-width="2"' : ''}><title>${xml(tip)}</title></rect>`);
      // Failed attempts drawn over their bar in red: where a retry cost time.
      for (const f of b.failedSpans) {
        const f1 = x(f.start);
        parts.push(`<rect x="${f1.toFixed(1)}" y="${y + 1}" width="${Math.max(1.5, x(f.end) - f1).toFixed(1)}" height="${row - 2}" fill="#e15759" fill-opacity="0.8"><title>${xml(f.outcome)}</title></rect>`);
      }
    }
  });
  if (!bars.length) parts.push(`<text x="${left}" y="${top + 14}">no step has started yet</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
