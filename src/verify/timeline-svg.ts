// The report's picture: one row per database, one bar per step from its start to its end, so a
// reader sees where the time went. Wall-clock (UTC) labels on the axis; the time between two
// applies (nobody watching) is cut down to a narrow hatched gap instead of passing for work;
// follow-up bars keep a visible width however short they were. A self-contained SVG string. Pure.
import type { TimelineBar } from './report-model.js';

const COLOURS: Partial<Record<TimelineBar['kind'], string>> = {
  'create-database': '#bab0ac', backup: '#4e79a7', restore: '#59a14f', colocate: '#f28e2b', 'dynamic-partition': '#f28e2b', mtmv: '#b07aa1', manual: '#edc948',
};
const LEGEND: [string, string][] = [['backup', '#4e79a7'], ['restore', '#59a14f'], ['follow-up', '#f28e2b'], ['async MV', '#b07aa1'], ['database', '#bab0ac'], ['failed or retried', '#e15759']];
/** Steps that take seconds next to hours of jobs: drawn at least this wide so they can be seen. */
const SHORT_KINDS = new Set<TimelineBar['kind']>(['colocate', 'dynamic-partition', 'mtmv', 'manual', 'create-database']);
const MIN_SHORT_WIDTH = 6;
const GAP_WIDTH = 28;

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

/** `10:05` (or `10:05:30` for second ticks), with the date where a tick starts a new day. */
const wallClock = (ms: number, step: number, withDate: boolean): string => {
  const iso = new Date(ms).toISOString();
  const time = step < 60 ? iso.slice(11, 19) : iso.slice(11, 16);
  return withDate ? `${iso.slice(5, 10)} ${time}` : time;
};

const human = (seconds: number): string => (seconds >= 86400 ? `${(seconds / 86400).toFixed(1)} d` : seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`);

export interface TimelineOptions {
  /** Shown above the picture (the plan's name and the time span are added). */
  title?: string;
  /** Each apply's span (ISO), oldest first: the time between two is drawn as a gap. */
  runs?: { start: string; end: string }[];
}

interface Segment {
  from: number;
  to: number;
  gap: boolean;
}

/** Active stretches and the gaps between applies within [t0, t1]; gaps shorter than 5% of the span are not worth a cut. */
function segments(t0: number, t1: number, runs: { start: string; end: string }[]): Segment[] {
  const spans = runs.map((r) => [Date.parse(r.start), Date.parse(r.end)] as const).filter(([a, b]) => b >= a).sort((a, b) => a[0] - b[0]);
  const gaps: [number, number][] = [];
  for (let i = 1; i < spans.length; i++) {
    const from = Math.max(t0, Math.max(...spans.slice(0, i).map((s) => s[1])));
    const to = Math.min(t1, spans[i]![0]);
    if (to - from > 0.05 * (t1 - t0)) gaps.push([from, to]);
  }
  const out: Segment[] = [];
  let at = t0;
  for (const [from, to] of gaps) {
    if (from > at) out.push({ from: at, to: from, gap: false });
    out.push({ from, to, gap: true });
    at = to;
  }
  if (t1 > at || !out.length) out.push({ from: at, to: Math.max(t1, at + 1000), gap: false });
  return out;
}

export function timelineSvg(bars: TimelineBar[], opts: TimelineOptions = {}): string {
  const byDatabase = new Map<string, TimelineBar[]>();
  for (const b of bars) byDatabase.set(b.database, [...(byDatabase.get(b.database) ?? []), b]);
  const databases = [...byDatabase.keys()];
  const width = 960;
  const left = 200;
  const right = 20;
  const top = 62;
  // Rows shrink for big plans so hundreds of databases still fit in a picture; names shrink with
  // them (the SVG scales, so a reader can zoom in) and every bar's tooltip names its step.
  const row = databases.length > 80 ? 8 : databases.length > 30 ? 12 : 20;
  const nameSize = Math.min(11, row - 1);
  const height = top + Math.max(1, databases.length) * row + 30;
  const t0 = bars.reduce((m, b) => Math.min(m, Date.parse(b.start)), Infinity);
  const t1 = bars.reduce((m, b) => Math.max(m, Date.parse(b.end)), -Infinity);
  const segs = bars.length ? segments(t0, Math.max(t1, t0 + 1000), opts.runs ?? []) : [];
  const activeMs = segs.filter((s) => !s.gap).reduce((n, s) => n + (s.to - s.from), 0) || 1;
  const gapCount = segs.filter((s) => s.gap).length;
  const plot = width - left - right - gapCount * GAP_WIDTH;
  // Where each segment starts on the picture.
  const starts: number[] = [];
  segs.reduce((px, s) => (starts.push(px), px + (s.gap ? GAP_WIDTH : ((s.to - s.from) / activeMs) * plot)), left);
  const xMs = (ms: number): number => {
    const i = Math.max(0, segs.findIndex((s) => ms <= s.to));
    const s = segs[i]!;
    const w = s.gap ? GAP_WIDTH : ((s.to - s.from) / activeMs) * plot;
    return starts[i]! + (Math.min(Math.max(ms, s.from), s.to) - s.from) / Math.max(1, s.to - s.from) * w;
  };
  const x = (iso: string): number => xMs(Date.parse(iso));
  // Seconds in the title when the whole run took minutes, else `13:37 to 13:37` says nothing.
  const at = (ms: number): string => new Date(ms).toISOString().slice(0, t1 - t0 < 600_000 ? 19 : 16).replace('T', ' ');
  const span = bars.length ? `${at(t0)} to ${at(t1)} UTC` : '';
  const title = [opts.title, span].filter(Boolean).join(': ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xml(title || 'timeline')}</title>`,
    '<defs><pattern id="gap" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbbbbb" stroke-width="2"/></pattern></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title) parts.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">${xml(title)}</text>`);
  LEGEND.forEach(([label, colour], i) => {
    parts.push(`<rect x="${left + i * 120}" y="26" width="12" height="12" fill="${colour}"/><text x="${left + i * 120 + 16}" y="36">${label}</text>`);
  });
  const step = tickStep(activeMs / 1000) * 1000;
  let lastDay = '';
  segs.forEach((s) => {
    if (s.gap) return;
    for (let ms = Math.ceil(s.from / step) * step; ms <= s.to; ms += step) {
      const px = xMs(ms).toFixed(1);
      const day = new Date(ms).toISOString().slice(0, 10);
      const label = wallClock(ms, step / 1000, lastDay !== '' && day !== lastDay);
      lastDay = day;
      parts.push(`<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${height - 24}" stroke="#dddddd"/><text x="${px}" y="${height - 10}" text-anchor="middle">${label}</text>`);
      // A tall picture gets the time axis on top too, so it reads without scrolling to the bottom.
      if (databases.length > 30) parts.push(`<text x="${px}" y="${top - 9}" text-anchor="middle">${label}</text>`);
    }
  });
  databases.forEach((db, i) => {
    const y = top + i * row;
    const name = [...db].length > 30 ? `${[...db].slice(0, 29).join('')}…` : db;
    parts.push(`<text x="${left - 6}" y="${(y + row * 0.5 + nameSize * 0.35).toFixed(1)}" text-anchor="end"${nameSize < 11 ? ` font-size="${nameSize}"` : ''}>${xml(name)}</text>`);
    for (const b of byDatabase.get(db) ?? []) {
      const x1 = x(b.start);
      const w = Math.max(SHORT_KINDS.has(b.kind) ? MIN_SHORT_WIDTH : 1.5, x(b.end) - x1);
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
  // Gaps on top of the bars: jobs may run on in Doris meanwhile, but nobody was watching. The
  // gap's length goes above it, clear of the wall-clock labels on both sides below.
  segs.forEach((s, i) => {
    if (!s.gap) return;
    const px = starts[i]!.toFixed(1);
    const tip = `no apply running for ${human((s.to - s.from) / 1000)} (${new Date(s.from).toISOString()} .. ${new Date(s.to).toISOString()})`;
    parts.push(`<rect x="${px}" y="${top - 6}" width="${GAP_WIDTH}" height="${height - 24 - top + 6}" fill="url(#gap)" fill-opacity="0.85"><title>${xml(tip)}</title></rect><text x="${(starts[i]! + GAP_WIDTH / 2).toFixed(1)}" y="${top - 9}" text-anchor="middle" fill="#888888">${human((s.to - s.from) / 1000)}</text>`);
  });
  if (!bars.length) parts.push(`<text x="${left}" y="${top + 14}">no step has started yet</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
