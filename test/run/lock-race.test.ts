// Many processes taking over one stale lock at the same instant: exactly one holds it, every other
// one is refused with a one-line error naming the holder, and nobody's release removes a lock that
// is not its own.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/run/lock.js';
import { exitOf, TSX_LOADER } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dm-lock-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

function contender(path: string): { child: ChildProcessWithoutNullStreams; line(n: number): Promise<string> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(import.meta.dirname, '..', 'support', 'lock-contender.ts'), path]);
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const lines = out.split('\n');
        if (lines.length > n + 1) resolve(lines[n]!);
        else if (child.exitCode !== null) reject(new Error(`contender exited: ${out}`));
        else waiters.push(check);
      };
      child.once('exit', check);
      check();
    });
  return { child, line };
}

describe('stale-lock takeover', () => {
  it.each([1, 2, 3])('leaves exactly one holder among ten processes released at once (round %i)', async () => {
    const path = join(dir, 'mig.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: hostname(), since: 'T0' }));
    const all = Array.from({ length: 10 }, () => contender(path));
    for (const c of all) expect(await c.line(0)).toBe('ready');
    for (const c of all) c.child.stdin.write('go\n');
    const results = await Promise.all(all.map((c) => c.line(1)));
    expect(results.filter((r) => r.startsWith('got')), results.join('\n')).toHaveLength(1);
    for (const r of results.filter((x) => !x.startsWith('got'))) expect(r).toMatch(/^refused plan-locked: (another apply holds .*\(pid \d+ on |another process is taking over)/);
    const holder = all[results.findIndex((r) => r.startsWith('got'))]!;
    // The file names the winner, and its release removes it.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: holder.child.pid, host: hostname() });
    for (const c of all) c.child.stdin.end();
    await Promise.all(all.map((c) => exitOf(c.child)));
    expect(existsSync(path)).toBe(false);
  }, 60_000);
});

describe('release', () => {
  it('removes only its own lock, and says truthfully that a forced takeover found its holder running', () => {
    const path = join(dir, 'own.lock');
    const first = acquireLock(path, 'T0');
    // Another host's apply was given up on by someone with --force-unlock... here: our own live lock.
    const forced = acquireLock(path, 'T1', { force: true });
    expect(forced.tookOver).toMatchObject({ pid: process.pid, alive: true });
    first.release();
    expect(existsSync(path), 'the first holder released a lock that was no longer its own').toBe(true);
    forced.release();
    expect(existsSync(path)).toBe(false);
    // A second release (or a release after someone removed the file) is quiet.
    expect(() => forced.release()).not.toThrow();
  });
});
