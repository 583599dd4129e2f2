// The state as snapshot + journal: one line per changed step, a constant cost per transition
// whatever the plan's size, compaction, an old state file carried on, a torn last line tolerated
// and any other damage refused by name.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../src/errors.js';
import { journalPath, journalStore } from '../../src/run/journal.js';
import { initialState, type RunState } from '../../src/run/state-model.js';
import { skewedPlan } from '../support/skewed-plan.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'dm-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): MigrateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MigrateError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const stateOf = (databases: number): RunState => initialState(skewedPlan({ databases, concurrency: 1 }), '2026-01-01T00:00:00.000Z');
const lines = (path: string): string[] => readFileSync(journalPath(path), 'utf8').split('\n').filter(Boolean);

/** A state saved once (its snapshot), then `n` transitions of its first step, one save each. */
function run(path: string, state: RunState, n: number) {
  const store = journalStore(path);
  store.save(state);
  const [first] = Object.keys(state.steps);
  for (let i = 1; i <= n; i++) {
    state.steps[first!] = { status: 'submitting', attempt: i, label: `L_a${i}`, history: [] };
    state.updatedAt = `2026-01-01T00:00:0${i % 10}.000Z`;
    store.save(state, [first!]);
  }
  return { store, first: first! };
}

describe('journal store', () => {
  it('appends one line per changed step and reads snapshot + journal back as the state', () => {
    const path = join(dir, 'mig.state.json');
    const state = stateOf(3);
    const { store } = run(path, state, 3);
    expect(lines(path)).toHaveLength(3);
    expect(store.counters).toMatchObject({ appends: 3, compactions: 1 });
    expect(journalStore(path).load()).toEqual(state);
    expect(statSync(journalPath(path)).mode & 0o777).toBe(0o600);
  });

  it("journals the run's own fields (skipped objects, the verification) when one is set anew", () => {
    const path = join(dir, 'mig.state.json');
    const state = stateOf(2);
    const { store, first } = run(path, state, 1);
    state.skipped = ['db00.t1'];
    store.save(state, [first]);
    store.save(state, [first]);
    expect(lines(path).map((l) => Object.keys(JSON.parse(l) as object).at(-1))).toEqual(['state', 'state', 'run', 'state']);
    expect(journalStore(path).load()).toEqual(state);
  });

  it('writes the same bytes for a transition whatever the size of the plan', () => {
    const cost = (databases: number): number => {
      const path = join(dir, `p${databases}.state.json`);
      const { store } = run(path, stateOf(databases), 0);
      const before = store.counters.bytesWritten;
      const state = journalStore(path).load()!;
      const [first] = Object.keys(state.steps);
      state.steps[first!]!.status = 'running';
      store.save(state, [first!]);
      return store.counters.bytesWritten - before;
    };
    const small = cost(2);
    const large = cost(400);
    expect(statSync(join(dir, 'p400.state.json')).size).toBeGreaterThan(50 * statSync(join(dir, 'p2.state.json')).size);
    expect(large).toBe(small);
  });

  it('compacts into the snapshot once the journal outgrows the plan, and skips lines a snapshot already holds', () => {
    const path = join(dir, 'mig.state.json');
    const state = stateOf(2);
    const { store } = run(path, state, 1_002);
    expect(store.counters.compactions).toBe(2);
    expect(lines(path)).toHaveLength(1);
    expect(journalStore(path).load()).toEqual(state);
    // A crash after the new snapshot and before the journal was emptied: its lines are old news.
    const journal = readFileSync(journalPath(path), 'utf8');
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as RunState & { journalSeq: number };
    writeFileSync(path, JSON.stringify({ ...state, journalSeq: snapshot.journalSeq + lines(path).length }));
    expect(journal.length).toBeGreaterThan(0);
    expect(journalStore(path).load()).toEqual(state);
  });

  it('carries on from a state file written before the journal', () => {
    const path = join(dir, 'mig.state.json');
    const state = stateOf(2);
    writeFileSync(path, JSON.stringify(state, null, 1));
    const store = journalStore(path);
    const loaded = store.load()!;
    expect(loaded).toEqual(state);
    const [first] = Object.keys(loaded.steps);
    loaded.steps[first!]!.status = 'done';
    store.save(loaded, [first!]);
    expect(lines(path)).toHaveLength(1);
    expect(journalStore(path).load()!.steps[first!]!.status).toBe('done');
  });

  it('drops a last line cut short by a crash, and the next append cuts it off', () => {
    const path = join(dir, 'mig.state.json');
    const state = stateOf(2);
    const { first } = run(path, state, 2);
    const before = structuredClone(state);
    appendFileSync(journalPath(path), '{"seq":3,"at":"2026-01-01T00:00:09.000Z","step":"x","sta');
    const store = journalStore(path);
    const loaded = store.load()!;
    expect(loaded).toEqual(before);
    loaded.steps[first]!.status = 'running';
    store.save(loaded, [first]);
    expect(lines(path)).toHaveLength(3);
    expect(journalStore(path).load()!.steps[first]!.status).toBe('running');
  });

  it.each([
    ['a line that is not JSON', (j: string[]) => [j[0]!, 'garbage', j[1]!]],
    ['a missing line', (j: string[]) => [j[0]!, j[2]!]],
    ['a step state of another shape', (j: string[]) => [j[0]!, j[1]!.replace('"submitting"', '"exploded"'), j[2]!]],
  ])('refuses a journal with %s, naming it (exit 2)', (_name, damage) => {
    const path = join(dir, 'mig.state.json');
    run(path, stateOf(2), 3);
    writeFileSync(journalPath(path), `${damage(lines(path)).join('\n')}\n`);
    const e = thrown(() => journalStore(path).load());
    expect(e.code).toBe('state-journal-damaged');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(journalPath(path));
    expect(e.message).toMatch(/line 2 .*restore it.*move it away/);
  });

  it('starts over from the snapshot it writes when the state file was moved away', () => {
    const path = join(dir, 'mig.state.json');
    run(path, stateOf(2), 2);
    rmSync(path);
    const fresh = stateOf(2);
    const store = journalStore(path);
    expect(store.load()).toBeUndefined();
    store.save(fresh, []);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(journalPath(path), 'utf8')).toBe('');
    expect(journalStore(path).load()).toEqual(fresh);
  });
});
