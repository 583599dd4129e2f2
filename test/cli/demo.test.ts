// `doris-migrate demo` end to end, in a scratch directory.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../support/io.js';

describe('doris-migrate demo', () => {
  it('plans, reviews and applies a migration on the sandbox and leaves the plan and state behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-demo-'));
    try {
      const io = captureIO({ cwd: dir, env: {} });
      const code = await main(['demo'], io);
      expect(code, io.out() + io.err()).toBe(0);
      expect(io.out()).toContain('## Migration plan `demo`');
      expect(io.out()).toMatch(/done {3}verify {2}\(source and target match: /);
      expect(existsSync(join(dir, 'plans', 'demo.yaml'))).toBe(true);
      expect(existsSync(join(dir, 'plans', 'demo.state.json'))).toBe(true);
      expect(existsSync(join(dir, 'plans', 'demo.report.md'))).toBe(true);
      expect(io.out()).toContain(`report: ${join(dir, 'plans', 'demo.report.md')}`);
      // Follow-ups ran inside apply; then a full verification, whose result the report shows.
      expect(io.out()).toContain('done   colocate:sales:order_items');
      expect(io.out()).toContain('done   mtmv:analytics:daily_revenue');
      expect(io.out()).toMatch(/== 5\. verify --level full[^\n]*\nverified 4 database\(s\), 7 table\(s\), 1 view\(s\), \d+ source rows \(full\): source and target match/);
      expect(readFileSync(join(dir, 'plans', 'demo.report.md'), 'utf8')).toMatch(/\| verification \| source and target match \(full: 7 tables/);
      expect(io.out()).toContain(`open the report: ${join(dir, 'plans', 'demo.report.md')}`);
      // A second demo starts a new migration instead of tripping over the old state.
      expect(await main(['demo'], captureIO({ cwd: dir, env: {} }))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--interrupt-at kills its own apply midway and resumes without submitting any job twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-demo-'));
    try {
      const io = captureIO({ cwd: dir, env: {} });
      const code = await main(['demo', '--interrupt-at', '9'], io);
      const out = io.out();
      expect(code, out + io.err()).toBe(0);
      expect(out).toContain('killed (SIGKILL) after 9 finished step(s)');
      expect(out).toMatch(/the state file says: 9 done, \d+ in flight/);
      expect(out).toMatch(/resuming demo: 9\/19 steps done/);
      expect(out).toMatch(/the clusters received (\d+) BACKUP\/RESTORE submissions for \1 distinct jobs: none twice/);
      expect(out).toMatch(/done {3}verify {2}\(source and target match: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a bad --interrupt-at with exit 2', async () => {
    const io = captureIO({ cwd: tmpdir(), env: {} });
    expect(await main(['demo', '--interrupt-at', 'soon'], io)).toBe(2);
    expect(io.err()).toContain("--interrupt-at must be a positive integer, got 'soon'");
  });
});
