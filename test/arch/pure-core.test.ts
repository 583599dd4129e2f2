// The pure core must import nothing with side effects, and product code never imports the sandbox.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** Files that must stay pure: data in, data out. */
const PURE = [
  'src/catalog/model.ts',
  'src/plan/',
  'src/doris/sql.ts',
  'src/doris/quote.ts',
  'src/doris/capabilities.ts',
  'src/doris/job-states.ts',
  'src/doris/parse-',
  'src/run/scheduler.ts',
  'src/run/reconcile.ts',
  'src/run/state-model.ts',
  'src/secrets.ts',
  'src/elapsed.ts',
  'src/storage/location.ts',
  'src/storage/properties.ts',
  'src/storage/settings.ts',
  'src/verify/compare.ts',
  'src/verify/model.ts',
  'src/verify/scope.ts',
  'src/verify/render-text.ts',
  'src/verify/report-',
  'src/verify/timeline-svg.ts',
];

const IMPURE_IMPORT =
  /from\s+['"](node:)?(fs|fs\/promises|net|tls|http|https|child_process|os|dgram|worker_threads)['"]|from\s+['"](mysql2[^'"]*|@aws-sdk\/[^'"]+|@azure\/[^'"]+|listr2|@inquirer\/[^'"]+|inquirer)['"]/;
const IMPURE_GLOBAL = /\bprocess\.|\bDate\.now\(|new Date\(\)|Math\.random\(/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(src).map((f) => relative(root, f));
const isPure = (f: string): boolean => PURE.some((p) => (p.endsWith('.ts') ? f === p : f.startsWith(p)));

describe('architecture', () => {
  it('pure modules import nothing with side effects', () => {
    const offenders = files
      .filter(isPure)
      .filter((f) => {
        const text = readFileSync(join(root, f), 'utf8');
        return IMPURE_IMPORT.test(text) || IMPURE_GLOBAL.test(text);
      });
    expect(offenders).toEqual([]);
  });

  it('product code never imports the sandbox, and the sandbox never imports product code', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(root, join(root, dirname(f), m[1]!));
        const fromSandbox = f.startsWith('src/sandbox/');
        const toSandbox = target.startsWith('src/sandbox/');
        const allowed = f.startsWith('src/cli/commands/sandbox') || f.startsWith('src/cli/commands/demo');
        if (fromSandbox !== toSandbox && !(allowed && toSandbox)) offenders.push(`${f} -> ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('storage does not reach into the plan (the plan embeds storage settings, not the other way round)', () => {
    const offenders = files
      .filter((f) => f.startsWith('src/storage/'))
      .filter((f) => /(?:from|import\()\s*['"]\.\.\/plan\//.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(3);
  });
});
