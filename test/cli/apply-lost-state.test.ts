// State that survives the machine: apply keeps the run's record beside the snapshots, so a lost
// state file (a fresh checkout, another machine) resumes exactly; with neither, apply refuses to
// start when the clusters show the migration already ran.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../src/run/journal.js';
import { demoMigration, forgetLocalState, localStatePath, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(() => m.dispose());

const apply = () => m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
const submitted = () => [...m.sandbox.source.jobs.history(), ...m.sandbox.target.jobs.history()].filter((h) => h.outcome === 'submitted').map((h) => `${h.statement} ${h.label}`);
const statePath = () => localStatePath(m);

/** Files under `dir` whose path contains `part` (the object server keeps objects as files). */
function filesUnder(dir: string, part: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => f.includes(part) && statSync(f).isFile());
}

describe('a lost state file', () => {
  it('is resumed from the record in the repository: nothing is submitted again', async () => {
    const first = await apply();
    expect(first.code, first.out + first.err).toBe(0);
    const jobs = submitted();
    expect(jobs).toHaveLength(2);
    forgetLocalState(m);
    const again = await apply();
    expect(again.code, again.out + again.err).toBe(0);
    expect(again.err).toMatch(/state: resumed from the run's record in s3:\/\/doris-migrate\/apply/);
    expect(submitted()).toEqual(jobs);
  }, 60_000);

  it('a damaged record (an upload cut short) is written anew from a readable local state; without one, apply refuses naming it', async () => {
    // Every object of the record (its snapshot and the parts after it), as the object server keeps them.
    const objects = () => filesUnder(join(m.dir, 'sandbox', 's3'), '__doris_migrate_runs').filter((f) => f.endsWith('_S3rver_object'));
    expect(objects().length).toBeGreaterThan(0);
    const cut = () => objects().forEach((f) => writeFileSync(f, readFileSync(f).subarray(0, 40)));
    const jobs = submitted();
    cut();
    const kept = await apply();
    expect(kept.code, kept.out + kept.err).toBe(0);
    expect(kept.err).toMatch(/state: the run's record in s3:\/\/doris-migrate\/apply\S* cannot be read; continuing from .*mig\.state\.json, which writes it anew/);
    // Written anew: a new snapshot, the damaged parts it holds deleted.
    expect(objects().length).toBeGreaterThan(0);
    expect(objects().every((f) => JSON.parse(readFileSync(f, 'utf8')) !== undefined)).toBe(true);

    cut();
    const aside = [statePath(), journalPath(statePath())].map((f) => [f, `${f}.aside`] as const).filter(([f]) => statSync(f, { throwIfNoEntry: false }));
    for (const [f, to] of aside) renameSync(f, to);
    try {
      const refused = await apply();
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/the run's record \S+ in s3:\/\/doris-migrate\/apply\S* cannot be read .*: restore it or delete it to start over knowingly/);
    } finally {
      for (const [f, to] of aside) renameSync(to, f);
    }
    expect(submitted()).toEqual(jobs);
    const healed = await apply();
    expect(healed.code, healed.out + healed.err).toBe(0);
  }, 60_000);

  it('with no record either, apply refuses (exit 4) and says how to proceed, instead of restoring again', async () => {
    forgetLocalState(m);
    const records = filesUnder(join(m.dir, 'sandbox', 's3'), '__doris_migrate_runs');
    expect(records.length).toBeGreaterThan(0);
    for (const f of records) rmSync(f);
    const jobs = submitted();
    const again = await apply();
    expect(again.code).toBe(4);
    expect(again.err).toMatch(/mig has no state \(.*mig\.state\.json\) and no record in s3:\/\/doris-migrate\/apply reachable from here, but the clusters already ran jobs with its labels \(SHOW BACKUP FROM sales on the source: \S+_b1_a1 \(JobId \d+, FINISHED\).*restore the state file, or make a new plan/);
    expect(submitted()).toEqual(jobs);
  }, 60_000);
});
