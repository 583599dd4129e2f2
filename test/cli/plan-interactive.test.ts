// The interactive `plan` in a real pseudo-terminal: questions answered like a person would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { DEMO_SQL } from '../support/simulator.js';
import { TmuxSession } from '../support/tmux.js';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let sb: Sandbox;
let session: TmuxSession | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dm-pty-'));
  sb = await startSandbox({ dataDir: join(dir, 'sandbox'), seedSql: DEMO_SQL, azure: false });
});
afterAll(async () => {
  session?.kill();
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('doris-migrate plan in a terminal', () => {
  it('asks for what is missing, validates answers, and writes the plan', async () => {
    // tsx is resolved from the repository, since the command runs in a temporary directory.
    const cli = `${process.execPath} --import ${pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href} ${join(root, 'test', 'support', 'cli-entry.ts')}`;
    session = TmuxSession.start(`dm-plan-${process.pid}`, `${cli} plan --s3-endpoint ${sb.s3.endpoint} --name interactive`, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' }, dir);
    await session.waitFor('source cluster');
    session.type('not a url!');
    session.press('Enter');
    await session.waitFor('is not a cluster URL');
    session.press('C-u');
    session.type(`mysql://root@127.0.0.1:${sb.source.port}`);
    session.press('Enter');
    await session.waitFor(`? password of root@127.0.0.1:${sb.source.port}`);
    session.press('Enter');
    await session.waitFor('databases to migrate');
    session.press('Enter');
    await session.waitFor('repository location');
    session.type('s3://doris-migrate/interactive');
    session.press('Enter');
    await session.waitFor('target cluster');
    session.type(`mysql://root@127.0.0.1:${sb.target.port}`);
    session.press('Enter');
    await session.waitFor(`? password of root@127.0.0.1:${sb.target.port}`);
    session.press('Enter');
    await session.waitFor('replicas per tablet on the target (3 backends alive)');
    session.press('C-u');
    session.type('1');
    session.press('Enter');
    await session.waitFor('write the plan to');
    session.press('Enter');
    const screen = await session.waitFor('[exit 0]', 30_000);
    expect(screen).toContain('Wrote');
    const yaml = readFileSync(join(dir, 'plans', 'interactive.yaml'), 'utf8');
    expect(yaml).toContain('replication:\n    num: 1');
    expect(yaml).toContain('location: s3://doris-migrate/interactive');
  }, 90_000);
});
