// A Doris error may echo the statement it refused, and CREATE REPOSITORY carries the repository's
// keys: the secret is masked where the error becomes text, so neither the screen, the state (here
// and its copy in the repository), the trail nor the report ever holds it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { recordName } from '../../src/run/state-mirror.js';
import { openRepository } from '../../src/storage/backend.js';
import { readCredentials } from '../../src/storage/credentials.js';
import { demoMigration, MIGRATION_SECRET, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

describe('secrets in error texts', () => {
  it('an FE error echoing CREATE REPOSITORY (with the secret key) reaches no screen, state, record or report unmasked', async () => {
    m = await demoMigration({ databases: 'analytics', proxied: true });
    const echo = (statement: string) => `errCode = 2, detailMessage = Failed to create repository: cannot parse ${statement}`;
    m.proxies!.source.refuse(/^CREATE REPOSITORY/, echo);
    m.proxies!.target.refuse(/^CREATE READ ONLY REPOSITORY/, echo);
    const r = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out + r.err).not.toContain(MIGRATION_SECRET);

    // The error was recorded, masked (so the check above is not vacuous).
    const state = JSON.parse(readFileSync(join(m.dir, 'plans', 'mig.state.json'), 'utf8')) as { steps: Record<string, { status: string; lastError?: string }> };
    const failed = Object.values(state.steps).filter((s) => s.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) expect(s.lastError).toMatch(/Failed to create repository: cannot parse CREATE .*REPOSITORY .*\*\*\*/);

    const plans = join(m.dir, 'plans');
    for (const file of readdirSync(plans)) expect(readFileSync(join(plans, file), 'utf8'), file).not.toContain(MIGRATION_SECRET);
    expect(readdirSync(plans)).toEqual(expect.arrayContaining(['mig.state.json', 'mig.report.md', 'mig.report.json', 'mig.log']));

    const plan = readPlanFile(m.planFile);
    const repository = await openRepository(plan.repository.settings, readCredentials(plan.repository.settings, m.env));
    // Every object of the record (its snapshot and the parts after it).
    const objects = repository.runRecord!;
    const record = (await Promise.all((await objects.list(recordName(plan))).map((k) => objects.read(k)))).join('\n');
    expect(record).toContain('Failed to create repository');
    expect(record).not.toContain(MIGRATION_SECRET);

    const status = await m.run(['status', 'plans/mig.yaml']);
    expect(status.out).toContain('Failed to create repository');
    expect(status.out + status.err).not.toContain(MIGRATION_SECRET);
  }, 60_000);
});
