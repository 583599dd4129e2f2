// The simulator restarts as a real FE restarts: on the same data directory the sandbox listens on
// the same ports (S3 too), and a statement that was acknowledged is there after a crash.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { testSimulator } from '../support/simulator.js';

describe('restarts', () => {
  it('a sandbox on the same data directory keeps its ports, S3 included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-ports-'));
    try {
      const first = await startSandbox({ dataDir: dir, azure: false });
      const ports = { source: first.source.port, target: first.target.port, s3: first.s3.endpoint };
      await first.stop();
      const second = await startSandbox({ dataDir: dir, azure: false });
      try {
        expect({ source: second.source.port, target: second.target.port, s3: second.s3.endpoint }).toEqual(ports);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an acknowledged statement survives a crash right after its reply', async () => {
    const sim = await testSimulator({ version: '2.1' });
    const crashed = mkdtempSync(join(tmpdir(), 'dm-crash-'));
    try {
      await sim.query('CREATE DATABASE acked');
      // What a crash at this instant leaves on disk: the data directory as it is, nothing flushed at stop.
      cpSync(sim.dataDir, crashed, { recursive: true });
      const after = await testSimulator({ version: '2.1', dataDir: crashed });
      try {
        expect((await after.query('SHOW DATABASES')).map((r) => r.Database)).toContain('acked');
      } finally {
        await after.dispose();
      }
    } finally {
      await sim.dispose();
      rmSync(crashed, { recursive: true, force: true });
    }
  });
});
