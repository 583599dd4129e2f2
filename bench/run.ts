// `npm run bench [-- name ...]`: runs every bench/*.bench.ts module (or those whose file name
// contains one of the names) in turn, prints its figures, and writes bench/results/latest.json
// and latest.md (bench, figure, value, target, met?) with the machine and the commit.
// Figures are measurements of this run on this machine; nothing here is an assertion.
//
// A module exports `run(): Promise<Record<string, string | number>>`. The project's goals
// (bench/targets.ts GOALS) apply to the figures of those names; a module may export `targets`
// for others. A figure that misses its goal prints as missed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/atomic-file.js';
import { GOALS, type Targets } from './targets.js';

interface Row {
  bench: string;
  figure: string;
  value: string | number;
  target: string;
  met: boolean | null;
}

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const git = (...args: string[]): string => {
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};
const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', '.', ':(exclude)results', '../src') ? ' (with uncommitted changes)' : ''}`;
const started = new Date();

const rows: Row[] = [];
interface BenchRun {
  bench: string;
  at: string;
  commit: string;
  seconds: number;
  error?: string;
}
const benches: BenchRun[] = [];
for (const file of modules) {
  const bench = file.replace('.bench.ts', '');
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run: () => Promise<Record<string, string | number>>; targets?: Targets };
  const t0 = performance.now();
  let figures: Record<string, string | number>;
  try {
    figures = await mod.run();
  } catch (e) {
    // One bench failing leaves the others' figures standing; the failure is part of the results.
    const error = (e as Error).message.split('\n')[0]!.slice(0, 300);
    benches.push({ bench, at: started.toISOString(), commit, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)), error });
    rows.push({ bench, figure: 'error', value: error, target: '', met: false });
    console.log(`\n## ${bench}: failed: ${error}`);
    continue;
  }
  const seconds = (performance.now() - t0) / 1000;
  benches.push({ bench, at: started.toISOString(), commit, seconds: Number(seconds.toFixed(1)) });
  console.log(`\n## ${bench} (${seconds.toFixed(1)} s)`);
  for (const [figure, value] of Object.entries(figures)) {
    const target = GOALS[figure] ?? mod.targets?.[figure];
    const met = target ? typeof value === 'number' && target.met(value) : null;
    rows.push({ bench, figure, value, target: target?.text ?? '', met });
    console.log(`  ${figure.padEnd(44)} ${String(value).padEnd(12)} ${target ? `${target.text} ${met ? 'met' : 'MISSED'}` : ''}`);
  }
}

// A partial run (`npm run bench -- makespan`) keeps the other benches' last rows.
const latest = join(dir, 'results', 'latest.json');
const previous = (existsSync(latest) ? JSON.parse(readFileSync(latest, 'utf8')) : { benches: [], rows: [] }) as { benches: BenchRun[]; rows: Row[] };
// Benches that ran now replace their old rows; benches whose module is gone are dropped.
const ran = new Set(benches.map((b) => b.bench));
const exists = (bench: string): boolean => existsSync(join(dir, `${bench}.bench.ts`));
previous.benches = previous.benches.filter((b) => exists(b.bench));
previous.rows = previous.rows.filter((r) => exists(r.bench));
const allBenches = [...previous.benches.filter((b) => !ran.has(b.bench)), ...benches].sort((a, b) => (a.bench < b.bench ? -1 : 1));
const allRows = [...previous.rows.filter((r) => !ran.has(r.bench)), ...rows].sort((a, b) => (a.bench < b.bench ? -1 : a.bench > b.bench ? 1 : 0));
const results = { machine, benches: allBenches, rows: allRows };
const cell = (v: string | number): string => String(v).replace(/\|/g, '\\|');
const markdown = [
  `Machine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}.`,
  '',
  ...allBenches.map((b) => `- ${b.bench}: ${b.at.slice(0, 16).replace('T', ' ')} UTC, commit ${b.commit}, ${b.seconds} s${b.error ? ', failed' : ''}`),
  '',
  '## Goals',
  '',
  '| figure | value | goal | met? |',
  '| --- | --- | --- | --- |',
  ...Object.entries(GOALS).map(([figure, goal]) => {
    const row = allRows.find((r) => r.figure === figure);
    return `| ${cell(figure)} | ${row ? cell(row.value) : 'not measured'} | ${cell(goal.text)} | ${row?.met ? 'met' : '**missed**'} |`;
  }),
  '',
  '## All figures',
  '',
  '| bench | figure | value | target | met? |',
  '| --- | --- | --- | --- | --- |',
  ...allRows.map((r) => `| ${r.bench} | ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.target)} | ${r.met === null ? '' : r.met ? 'met' : '**missed**'} |`),
  '',
].join('\n');
writeFileAtomic(latest, `${JSON.stringify(results, null, 2)}\n`);
writeFileAtomic(join(dir, 'results', 'latest.md'), markdown);
console.log(`\n${markdown}`);
console.log(`${((Date.now() - started.getTime()) / 1000).toFixed(1)} s; written: bench/results/latest.json, bench/results/latest.md`);
