// The lock (one apply per plan) and the state file (strict reads, atomic writes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../src/errors.js';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { acquireLock } from '../../src/run/lock.js';
import { initialState } from '../../src/run/state-model.js';
import { skewedPlan } from '../support/skewed-plan.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'dm-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The error `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): MigrateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MigrateError);
    return e as MigrateError;
  }
  throw new Error('expected an error');
}

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid;

describe('acquireLock', () => {
  it('is exclusive while held and free again after release', () => {
    const path = join(dir, 'mig.lock');
    const lock = acquireLock(path, 'T0');
    const e = thrown(() => acquireLock(path, 'T1'));
    expect(e.code).toBe('plan-locked');
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain(`pid ${process.pid} on ${hostname()} since T0`);
    lock.release();
    expect(existsSync(path)).toBe(false);
    acquireLock(path, 'T2').release();
  });

  it('takes over a lock left by a dead process on this host, and says so', () => {
    const path = join(dir, 'mig.lock');
    const pid = deadPid();
    writeFileSync(path, JSON.stringify({ pid, host: hostname(), since: 'T0' }));
    const lock = acquireLock(path, 'T1');
    expect(lock.tookOver).toEqual({ pid, host: hostname(), since: 'T0', alive: false });
    lock.release();
  });

  it('takes over a lock naming our own pid that this process does not hold (a container restarted as the same pid)', () => {
    const path = join(dir, 'mig.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), since: 'T0' }));
    const lock = acquireLock(path, 'T1');
    expect(lock.tookOver).toEqual({ pid: process.pid, host: hostname(), since: 'T0', alive: false });
    expect(() => acquireLock(path, 'T2')).toThrow(/another apply holds/);
    lock.release();
  });

  it("refuses another host's lock, naming its holder and the flag, unless forced", () => {
    const path = join(dir, 'mig.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', since: 'T0' }));
    const e = thrown(() => acquireLock(path, 'T1'));
    expect(e.message).toMatch(/another apply holds .*mig\.lock \(pid \d+ on elsewhere\.example since T0\).*--force-unlock/);
    const forced = acquireLock(path, 'T1', { force: true });
    expect(forced.tookOver?.host).toBe('elsewhere.example');
    forced.release();
  });
});

describe('fileCheckpoint', () => {
  const plan = skewedPlan({ databases: 2, concurrency: 1 });

  it('reads back what it wrote, owner-only, with no temp file left behind', () => {
    const store = fileCheckpoint(join(dir, 'plans', 'mig.state.json'));
    expect(store.load()).toBeUndefined();
    const state = initialState(plan, '2026-01-01T00:00:00.000Z');
    const [first] = Object.keys(state.steps);
    state.steps[first!] = { status: 'submitting', attempt: 1, label: 'L_a1', history: [], inFlight: 'running' };
    store.save(state);
    expect(store.load()).toEqual(state);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'plans'))).toEqual(['mig.state.json']);
  });

  it.each([
    ['not JSON', '{"version": 1, "plan": "mig", "steps": {', 'state-unreadable'],
    ['JSON of another shape', '{"version": 1, "plan": "mig", "steps": {"a": {"status": "exploded"}}}', 'state-invalid'],
  ])('refuses a state file that is %s, naming it and what to do', (_name, text, code) => {
    const path = join(dir, 'mig.state.json');
    writeFileSync(path, text);
    const e = thrown(() => fileCheckpoint(path).load());
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/restore it.*move it away/);
  });
});
