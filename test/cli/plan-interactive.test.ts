// The interactive `plan` in a real pseudo-terminal: questions answered like a person would,
// including the mistakes a person makes (a malformed URL, a wrong password, too many replicas),
// each corrected where it was made. The command line it prints at the end makes the same plan.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli, TSX_LOADER } from '../support/cli.js';
import { DEMO_SQL } from '../support/simulator.js';
import { TmuxSession } from '../support/tmux.js';

const root = join(import.meta.dirname, '..', '..');
const keys = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
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

/** Shell words of a command line as the wizard prints it (backslash continuations, single quotes). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.replace(/\\\n/g, ' ').matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

/** A plan's YAML without what differs between two runs made seconds apart. */
const stable = (path: string): string =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(createdAt|fingerprint|id):/.test(l))
    .join('\n');

describe('doris-migrate plan in a terminal', () => {
  it('asks every setting of an S3-compatible store, corrects mistakes inline, and prints the command that makes the same plan', async () => {
    // tsx is resolved from the repository, since the command runs in a temporary directory.
    const cli = `${process.execPath} --import ${TSX_LOADER} ${join(root, 'test', 'support', 'cli-entry.ts')}`;
    session = TmuxSession.start(`dm-plan-${process.pid}`, `${cli} plan --name wizard --label-prefix wiz`, keys, dir);
    await session.waitFor('source cluster');
    session.type('not a url!');
    session.press('Enter');
    await session.waitFor('is not a cluster URL');
    session.press('C-u');
    // Nothing listens on port 1: connecting fails at once and the URL is asked again.
    session.type('mysql://root@127.0.0.1:1');
    session.press('Enter');
    await session.waitFor('? password of root@127.0.0.1:1 ');
    session.press('Enter');
    await session.waitFor(/127\.0\.0\.1:1\b.*(ECONNREFUSED|refused)[\s\S]*source cluster \(mysql:\/\/user@host:port\):\s*$/m);
    session.type(`mysql://root@127.0.0.1:${sb.source.port}`);
    session.press('Enter');
    await session.waitFor(`? password of root@127.0.0.1:${sb.source.port}`);
    session.type('wrong');
    session.press('Enter');
    // Refused by the FE, and asked again at once: nothing else was asked or read in between.
    await session.waitFor('(try again)');
    expect(session.screen()).toContain('Access denied');
    expect(session.screen()).toContain('DORIS_SOURCE_PASSWORD');
    session.press('Enter');
    await session.waitFor('target cluster');
    session.type(`mysql://root@127.0.0.1:${sb.target.port}`);
    session.press('Enter');
    await session.waitFor(`? password of root@127.0.0.1:${sb.target.port}`);
    session.press('Enter');
    await session.waitFor('repository location');
    session.type(`s3://${sb.s3.bucket}/wizard`);
    session.press('Enter');
    await session.waitFor('S3 provider');
    session.press('Down'); // MinIO
    session.press('Enter');
    await session.waitFor('S3 region');
    session.press('Enter');
    await session.waitFor('S3 endpoint URL');
    session.type(sb.s3.endpoint);
    session.press('Enter');
    await session.waitFor('path-style addressing');
    session.press('Enter');
    await session.waitFor('replicas per tablet on the target (3 backends alive)');
    expect(session.screen()).not.toContain('Reading the source catalog');
    session.press('C-u');
    session.type('5');
    session.press('Enter');
    await session.waitFor('the target has 3 alive backends but the plan asks for 5 replicas');
    session.press('C-u');
    session.type('1');
    session.press('Enter');
    await session.waitFor('databases to migrate');
    session.press('Enter');
    await session.waitFor('write the plan to');
    session.press('Enter');
    const screen = await session.waitFor('[exit 0]', 30_000);
    expect(screen).toContain('Wrote');
    const yaml = readFileSync(join(dir, 'plans', 'wizard.yaml'), 'utf8');
    expect(yaml).toContain('replication:\n    num: 1');
    expect(yaml).toContain(`location: s3://${sb.s3.bucket}/wizard`);
    expect(yaml).toContain(`endpoint: ${sb.s3.endpoint}`);
    expect(yaml).toContain('provider: minio');

    // The printed command line: secrets named, never given; run as printed, it writes the same plan.
    const printed = /The same plan without questions:\n((?:.*\\\n)*.*)/.exec(session.screen(true).replace(/^# reads .*\n/m, ''))?.[1];
    expect(session.screen(true)).toContain('# reads DORIS_SOURCE_PASSWORD, DORIS_TARGET_PASSWORD, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY from the environment');
    expect(printed).toBeDefined();
    const words = shellWords(printed!);
    expect(words.slice(0, 2)).toEqual(['doris-migrate', 'plan']);
    expect(words).toContain('--no-interactive');
    expect(words).not.toContain('wrong');
    const again = await runCli([...words.slice(1), '--out', 'plans/again.yaml'], { cwd: dir, env: keys });
    expect(again.stderr).not.toContain('missing');
    expect(again.code).toBe(0);
    expect(stable(join(dir, 'plans', 'again.yaml'))).toBe(stable(join(dir, 'plans', 'wizard.yaml')));
  }, 120_000);
});
