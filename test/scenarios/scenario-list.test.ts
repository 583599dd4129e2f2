// Both end-to-end suites run the same scenario list, and only scenarios marked simulator-only use
// what only the simulator has. The suites are listed by vitest itself (collected, not run).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioTitle, SCENARIOS } from './index.js';

const root = join(import.meta.dirname, '..', '..');
const SUITES = { simulator: 'test/e2e/simulator.test.ts', real: 'test/real/real-doris.test.ts' };

/** Test titles vitest collects from a suite file, without the describe prefix. */
function listed(file: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dm-list-'));
  try {
    const out = join(dir, 'list.json');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'list', `--json=${out}`, file], { cwd: root, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(readFileSync(out, 'utf8')) as { name: string }[]).map((t) => t.name.split(' > ').slice(1).join(' > '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('end-to-end scenario list', () => {
  it('is the same in the simulator suite and the real-Doris suite', () => {
    const titles = SCENARIOS.map(scenarioTitle);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    expect(listed(SUITES.simulator)).toEqual(titles);
    expect(listed(SUITES.real)).toEqual(titles);
  });

  it('marks every scenario that uses a simulator-only statement, with a reason', () => {
    for (const s of SCENARIOS) {
      const usesSimulatorOnly = /ADMIN SIM/.test(s.run.toString());
      expect(s.simulatorOnly !== undefined, `${s.name}: ADMIN SIM ${usesSimulatorOnly ? 'used' : 'not used'}`).toBe(usesSimulatorOnly);
      if (s.simulatorOnly !== undefined) expect(s.simulatorOnly.length, s.name).toBeGreaterThan(10);
    }
    // Most of the contract holds for real Doris too.
    expect(SCENARIOS.filter((s) => s.simulatorOnly).length).toBeLessThan(SCENARIOS.length / 2);
  });
});
