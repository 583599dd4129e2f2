// `doris-migrate sandbox` as a user runs it: one JSON line, working endpoints, clean stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, firstLine, runCli, spawnCli } from '../support/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('doris-migrate sandbox', () => {
  it('starts source, target, s3rver and Azurite, prints one JSON line, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dm-sandbox-'));
    dirs.push(dataDir);
    const child = spawnCli(['sandbox', '--seed', 'test/fixtures/catalogs/demo.sql', '--data-dir', dataDir, '--doris-version', '2.1', '--target-version', '3.0'], { env: { DORIS_SANDBOX_PASSWORD: 'sb' } });
    const info = JSON.parse(await firstLine(child)) as {
      source: { host: string; port: number; user: string; password: string; version: string };
      target: { port: number; version: string };
      s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string };
      azure: { endpoint: string; account: string; accountKey: string; container: string };
    };
    expect(info.source.version).toBe('2.1.7');
    expect(info.target.version).toBe('3.0.3');
    expect(info.s3).toMatchObject({ bucket: 'doris-migrate', region: 'us-east-1' });
    expect(info.azure).toMatchObject({ account: 'devstoreaccount1', container: 'doris-migrate' });
    const c = await mysql.createConnection({ host: info.source.host, port: info.source.port, user: info.source.user, password: info.source.password });
    const [rows] = await c.query('SELECT COUNT(*) AS n FROM sales.orders');
    expect(rows).toEqual([{ n: '5' }]);
    await c.end();
    const s3 = await fetch(`${info.s3.endpoint}/${info.s3.bucket}`);
    expect(s3.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    await expect(fetch(`${info.s3.endpoint}/${info.s3.bucket}`)).rejects.toThrow();
  });

  it('rejects a bad flag with exit 2 and one line', async () => {
    const { code, stderr } = await runCli(['sandbox', '--source-port', 'abc', '--no-azure']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("doris-migrate: --source-port must be a port number (0 = any free port), got 'abc'");
  });
});
