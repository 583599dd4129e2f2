// State that survives the machine: apply keeps the run's record beside the snapshots, so a lost
// state file (a fresh checkout, another machine) resumes exactly; with neither, apply refuses to
// start when the clusters show the migration already ran.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../src/run/journal.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(() => m.dispose());

const apply = () => m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
const submitted = () => [...m.sandbox.source.jobs.history(), ...m.sandbox.target.jobs.history()].filter((h) => h.outcome === 'submitted').map((h) => `${h.statement} ${h.label}`);
const statePath = () => join(m.dir, 'plans', 'mig.state.json');
/** The whole local state: its snapshot and its journal. */
const deleteState = () => {
  rmSync(statePath());
  rmSync(journalPath(statePath()), { force: true });
};

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
    deleteState();
    const again = await apply();
    expect(again.code, again.out + again.err).toBe(0);
    expect(again.err).toMatch(/state: resumed from the run's record in s3:\/\/doris-migrate\/apply/);
    expect(submitted()).toEqual(jobs);
  }, 60_000);

  it('with no record either, apply refuses (exit 4) and says how to proceed, instead of restoring again', async () => {
    deleteState();
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
