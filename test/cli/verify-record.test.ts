// `verify` after the run's local state was lost (another machine, a fresh checkout): the report it
// writes shows the run as the run's record in the repository holds it, not "not started".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMigration, forgetLocalState, READ_FROM_RECORD, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
});
afterAll(() => m.dispose());

describe('verify without the local state', () => {
  it("reports the run the repository's record holds, and says where it read it", async () => {
    const applied = await m.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
    expect(applied.code, applied.err).toBe(0);
    forgetLocalState(m);

    const verified = await m.run(['verify', 'plans/mig.yaml']);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.err).toMatch(READ_FROM_RECORD);
    const report = JSON.parse(readFileSync(join(m.dir, 'plans', 'mig.report.json'), 'utf8')) as { status: string };
    expect(report.status).toBe('done');
  }, 60_000);
});
