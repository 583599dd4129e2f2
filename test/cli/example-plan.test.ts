// The commented example plan in plans/ stays a valid plan that review renders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../support/io.js';

const root = join(import.meta.dirname, '..', '..');

describe('plans/example.yaml', () => {
  it('loads (comments are not content), explains every step kind, and renders in every format', async () => {
    const text = readFileSync(join(root, 'plans', 'example.yaml'), 'utf8');
    for (const kind of ['preflight', 'create-repository', 'create-database', 'backup', 'restore', 'colocate', 'mtmv', 'verify']) expect(text).toContain(`# ${kind}:`);
    for (const format of ['text', 'markdown', 'sql', 'json']) {
      const io = captureIO({ cwd: root });
      expect(await main(['review', 'plans/example.yaml', '--format', format], io), io.err()).toBe(0);
    }
  });
});
