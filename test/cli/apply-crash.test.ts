// The promise of apply: kill it at any instant, run it again, and it carries on as if nothing
// happened. The real CLI runs as a child process and is SIGKILLed at 25 seeded random instants;
// before every fourth run the local state file is deleted too (a fresh checkout, another
// machine): the run's record in the repository carries it over.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { journalPath } from '../../src/run/journal.js';
import { exitOf, spawnCli } from '../support/cli.js';
import { demoMigration, tableContents, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  // Slow enough that the migration spans all 25 kills (jobs keep running while apply is dead).
  m = await demoMigration({ timeScale: 12 });
});
afterAll(() => m.dispose());

/** A small deterministic generator, so a failing run can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
}

describe('apply under SIGKILL', () => {
  it('resumes after 25 kills at random instants and lost state files: same target, every job submitted once, state always readable', async () => {
    const random = lcg(20261124);
    const statePath = join(m.dir, 'plans', 'mig.state.json');
    let killsMidRun = 0;
    // The clusters' clocks stand still while a child starts up, so a slow start on a busy machine
    // does not let the jobs run ahead of the kills (the kill instants stay spread over the run).
    const clocks = (verb: 'PAUSE' | 'RESUME') => Promise.all([m.sandbox.source.execute(`ADMIN SIM ${verb} CLOCK`), m.sandbox.target.execute(`ADMIN SIM ${verb} CLOCK`)]);
    let deleted = 0;
    for (let i = 0; i < 25; i++) {
      if (i % 4 === 3 && existsSync(statePath)) {
        // The whole local state: its snapshot and its journal.
        rmSync(statePath);
        rmSync(journalPath(statePath), { force: true });
        deleted++;
      }
      await clocks('PAUSE');
      const child = spawnCli(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'], { cwd: m.dir, env: m.env });
      const exited = exitOf(child).then(() => false);
      await Promise.race([new Promise<void>((r) => child.stdout.once('data', () => r())), exited]);
      await clocks('RESUME');
      const delay = 200 + Math.floor(random() * 1200);
      const killed = await Promise.race([new Promise<boolean>((r) => setTimeout(() => r(true), delay)), exited]);
      if (killed) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
      if (existsSync(statePath)) {
        const state = fileCheckpoint(statePath).load()!;
        if (killed && !Object.values(state.steps).every((s) => s.status === 'done')) killsMidRun++;
      }
    }
    const last = spawnCli(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'], { cwd: m.dir, env: m.env });
    let out = '';
    last.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await exitOf(last), out).toBe(0);

    expect(killsMidRun, 'kills that landed before the migration was done').toBeGreaterThanOrEqual(20);
    expect(deleted, 'state files deleted between runs').toBeGreaterThanOrEqual(5);
    expect(tableContents(m, 'target')).toEqual(tableContents(m, 'source'));
    const state = fileCheckpoint(statePath).load()!;
    expect(Object.values(state.steps).every((s) => s.status === 'done')).toBe(true);
    for (const [label, count] of countBy(m.sandbox.source.jobs.history().filter((h) => h.statement === 'BACKUP' && h.outcome === 'submitted').map((h) => h.label))) expect(count, label).toBe(1);
    for (const [key, count] of countBy(m.sandbox.target.jobs.history().filter((h) => h.statement === 'RESTORE' && h.outcome === 'submitted').map((h) => `${h.db}.${h.label}`))) expect(count, key).toBe(1);
    expect(m.sandbox.source.jobs.history().filter((h) => h.outcome === 'submitted')).toHaveLength(4);
    expect(m.sandbox.target.jobs.history().filter((h) => h.outcome === 'submitted')).toHaveLength(4);
  }, 240_000);
});

function countBy(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}
