// blockYaml writes exactly the text the yaml library writes for the same data, whether it writes
// an item directly or hands it to the library: checked on the example plan, on names that need
// quoting, and on random nested data built from awkward strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { blockYaml } from '../../src/plan/yaml-block.js';
import { planFromYaml, planToYaml } from '../../src/plan/yaml.js';
import { PlanSchema } from '../../src/plan/schema.js';

const library = (doc: unknown): string => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });

const AWKWARD = [
  't_1', 'backup:db:1', 's3://bucket/prefix', 'dm2611_b1', 'true', 'False', 'NULL', 'yes', 'no', 'on', 'y', '~', '', ' ', ' lead', 'trail ', 'a: b', 'a #b', '#x', 'x:',
  '-dash', '- item', '? q', '[x]', '{x}', '*ref', '&anchor', '!tag', '%pct', '@at', '`tick`', "it's", 'say "hi"', 'Kunden-Ä', '日本', 'multi\nline', 'trailing\n',
  '  indented\nblock', '0', '007', '1e3', '0x1F', '0o17', '.5', '.inf', '-.inf', '.nan', '+1', '1_000', '12:30', '2026-12-04', '2026-12-04T10:00:00Z', 'a\tb', 'back\\slash',
  'ok.dot', 'under_score', 'x/y', 'ümlaut', 'a,b', 'a|b', 'a>b', 'a=b', '12e45', '1E5', '3f9a0b1c2d3e4f50', '0123456789abcdef', '9abc_1', '0X1f', '0o8', '1_000', '12.5',
  '_', 'A:b', 'a::', 'e5', 'x-', '1a.b',
];

/** A small deterministic generator (no flaky seeds). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function value(next: () => number, depth: number): unknown {
  const r = next();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  if (depth > 3 || r < 0.45) {
    const s = next();
    if (s < 0.6) return pick(AWKWARD);
    if (s < 0.75) return pick([0, 1, -3, 42, 1099511627776, 2 ** 53 + 2, 0.5, 1e21, -0]);
    if (s < 0.85) return next() < 0.5;
    if (s < 0.9) return null;
    return undefined;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(AWKWARD), value(next, depth + 1)]));
}

const pick = (next: () => number): string => AWKWARD[Math.floor(next() * AWKWARD.length)]!;

describe('blockYaml', () => {
  it('writes the example plan as the library does', () => {
    const plan = planFromYaml(readFileSync(join(import.meta.dirname, '..', '..', 'plans', 'example.yaml'), 'utf8'));
    const doc = PlanSchema.parse(plan);
    expect(blockYaml(doc)).toBe(library(doc));
    expect(planFromYaml(planToYaml(plan))).toEqual(plan);
  });

  it('writes names that need quoting, multi-line text and odd numbers as the library does', () => {
    const steps = AWKWARD.map((name, i) => ({ id: `s${i}`, tables: [{ name }, { name: 'plain' }], properties: { [name || 'k']: name }, bytes: i % 2 ? 2 ** 53 + 2 : 0.25, list: [[name]], none: null, gone: undefined, empty: {}, nothing: [] }));
    const doc = { version: 1, name: 'x', steps, databases: [{ source: 'a', target: 'true' }] };
    expect(blockYaml(doc)).toBe(library(doc));
    expect(parse(blockYaml(doc))).toEqual(parse(library(doc)));
  });

  it('writes random nested data of awkward strings as the library does', () => {
    const next = random(17);
    for (let i = 0; i < 1000; i++) {
      const doc = { steps: Array.from({ length: 1 + Math.floor(next() * 4) }, () => value(next, 0)), other: value(next, 0), [pick(next)]: value(next, 0) };
      expect(blockYaml(doc)).toBe(library(doc));
    }
  });
});
