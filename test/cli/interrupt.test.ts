// Ctrl-C as a person presses it: in a real pseudo-terminal (tmux) at a `plan` prompt and during a
// live `apply`; and a second signal, which exits at once but never leaves the lock behind.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signalController, onForcedExit } from '../../src/cli/interrupt.js';
import { acquireLock } from '../../src/run/lock.js';
import { TSX_LOADER } from '../support/cli.js';
import { captureIO } from '../support/io.js';
import { demoMigration, type Migration } from '../support/migration.js';
import { TmuxSession } from '../support/tmux.js';

const root = join(import.meta.dirname, '..', '..');
const cli = `${process.execPath} --import ${TSX_LOADER} ${join(root, 'test', 'support', 'cli-entry-eager.ts')}`;
let session: TmuxSession | undefined;
let m: Migration | undefined;
afterEach(async () => {
  session?.kill();
  session = undefined;
  await m?.dispose();
  m = undefined;
});

describe('Ctrl-C in a terminal', () => {
  it('at a plan prompt: "cancelled, nothing written", exit 3, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-ctrlc-'));
    try {
      session = TmuxSession.start(`dm-ctrlc-plan-${process.pid}`, `${cli} plan --name nope`, {}, dir);
      await session.waitFor('source cluster');
      session.press('C-c');
      const screen = await session.waitFor(/\[exit \d+\]/);
      expect(screen).toContain('doris-migrate: cancelled, nothing written');
      expect(screen).toContain('[exit 3]');
      expect(screen).not.toMatch(/bug|ExitPromptError|\bat .*\.js:\d+/);
      expect(existsSync(join(dir, 'plans'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('during a live apply: saves, writes the report, releases the lock, exit 3', async () => {
    m = await demoMigration({ databases: 'sales', timeScale: 50 });
    session = TmuxSession.start(`dm-ctrlc-apply-${process.pid}`, `${cli} apply plans/mig.yaml --yes --poll-interval 0.05`, m.env, m.dir);
    // The live renderer (listr2) shows a running job: Ctrl-C lands mid-run.
    await session.waitFor(/sales \S+_a1: [A-Z]+/, 60_000);
    session.press('C-c');
    const screen = await session.waitFor(/\[exit \d+\]/, 60_000);
    expect(screen).toContain('[exit 3]');
    expect(screen).toContain('SIGINT: stopping after the current checkpoint');
    expect(existsSync(join(m.dir, 'plans', 'mig.lock'))).toBe(false);
    expect(existsSync(join(m.dir, 'plans', 'mig.report.md'))).toBe(true);
    const status = await m.run(['status', 'plans/mig.yaml', '--json']);
    expect(JSON.parse(status.out)).toMatchObject({ started: true, running: 1 });
    expect(readFileSync(join(m.dir, 'plans', 'mig.report.json'), 'utf8')).toContain('"status": "in progress"');
  }, 120_000);
});

describe('a second signal', () => {
  it('exits 3 at once, after releasing the lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-sig2-'));
    const before = new Set(process.listeners('SIGINT'));
    try {
      const io = captureIO({ cwd: dir });
      const exits: number[] = [];
      const controller = signalController(io, (code) => {
        exits.push(code);
        throw new Error('exited');
      });
      const lockFile = join(dir, 'x.lock');
      const lock = acquireLock(lockFile, new Date().toISOString());
      onForcedExit(controller.signal, () => lock.release());
      process.emit('SIGINT', 'SIGINT');
      expect(controller.signal.aborted).toBe(true);
      expect([exits, existsSync(lockFile)]).toEqual([[], true]);
      expect(() => process.emit('SIGINT', 'SIGINT')).toThrow('exited');
      expect([exits, existsSync(lockFile)]).toEqual([[3], false]);
      expect(io.err()).toContain('SIGINT again: exiting now');
    } finally {
      for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.removeListener('SIGINT', l);
      for (const l of process.listeners('SIGTERM')) if (!before.has(l)) process.removeListener('SIGTERM', l);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
