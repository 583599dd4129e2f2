// `doris-migrate demo` end to end, in a scratch directory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
      // A second demo starts a new migration instead of tripping over the old state.
      expect(await main(['demo'], captureIO({ cwd: dir, env: {} }))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
