// A state file that parses but lacks a step of its plan (cut short, or edited by hand): apply names
// the file and stops with exit 2 instead of a TypeError halfway through the run.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterAll(async () => m?.dispose());

it('refuses a state that lacks a step of the plan, naming the file', async () => {
  m = await demoMigration({ databases: 'crm-eu' });
  const first = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
  expect(first.code, first.out + first.err).toBe(0);
  const path = join(m.dir, 'plans', 'mig.state.json');
  // Cut by hand: the snapshot without one step, and no journal after it.
  const state = JSON.parse(readFileSync(path, 'utf8')) as { steps: Record<string, { status: string }> };
  delete state.steps.verify;
  writeFileSync(path, JSON.stringify(state));
  rmSync(join(m.dir, 'plans', 'mig.state.journal'), { force: true });
  const r = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
  expect(r.code).toBe(2);
  expect(r.err.trim()).toBe(`doris-migrate: state file ${path} lacks step(s) verify of plans/mig.yaml: restore the file, or move it away to start over knowingly`);
}, 120_000);
