// `npm run bench`: runs every bench/*.bench.ts module in turn and prints its figures.
// Figures are measurements of this run on this machine; nothing here is an assertion.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

for (const file of modules) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run: () => Promise<Record<string, string | number>> };
  const started = performance.now();
  const figures = await mod.run();
  console.log(`\n## ${file.replace('.bench.ts', '')} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(34)} ${v}`);
}
