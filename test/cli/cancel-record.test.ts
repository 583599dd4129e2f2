// `cancel` on a machine without the local state (another machine, a lost file): it finds the run's
// jobs through the run's record in the repository, cancels the one proved ours and still running,
// leaves another's job alone, and records the cancel in the record as apply would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApply } from '../../src/cli/commands/apply.js';
import type { DorisClient } from '../../src/doris/client.js';
import { clientFor } from '../support/client.js';
import { captureIO } from '../support/io.js';
import { demoMigration, forgetLocalState, READ_FROM_RECORD, type Migration } from '../support/migration.js';

let m: Migration;
let source: DorisClient;
beforeAll(async () => {
  m = await demoMigration({ databases: 'sales' });
  source = clientFor(m.sandbox.source);
});
afterAll(async () => {
  await source.close();
  await m.dispose();
});

const backupState = async (db: string, label: string) => (await source.query(`SHOW BACKUP FROM \`${db}\``)).find((r) => r.SnapshotName === label)?.State;

describe('cancel without the local state', () => {
  it("cancels our running job found through the repository's record and leaves another's alone", async () => {
    // Jobs stand still: apply submits the backup and is stopped (as by SIGINT) while it runs.
    await m.sandbox.source.execute('ADMIN SIM PAUSE CLOCK');
    const io = captureIO({ cwd: m.dir, env: m.env });
    const stop = new AbortController();
    const run = runApply('plans/mig.yaml', { yes: true, pollInterval: '0.02' }, io, stop.signal);
    const until = Date.now() + 30_000;
    while (!m.sandbox.source.jobs.history().some((h) => h.statement === 'BACKUP' && h.outcome === 'submitted') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    expect(await run, io.err()).toBe(3);
    const ours = m.sandbox.source.jobs.history().find((h) => h.statement === 'BACKUP' && h.outcome === 'submitted')!.label;
    expect(await backupState('sales', ours)).not.toMatch(/FINISHED|CANCELLED/);
    // Someone else's backup of another database, running too.
    await source.query('BACKUP SNAPSHOT analytics.their_snapshot TO doris_migrate');
    forgetLocalState(m);

    const cancelled = await m.run(['cancel', 'plans/mig.yaml']);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.err).toMatch(READ_FROM_RECORD);
    expect(cancelled.out).toContain(`cancelled BACKUP ${ours} of sales`);
    expect(cancelled.out).toContain('1 job(s) cancelled');
    expect(await backupState('sales', ours)).toBe('CANCELLED');
    expect(await backupState('analytics', 'their_snapshot')).not.toMatch(/FINISHED|CANCELLED/);

    // The cancel is in the record: read from there alone, the step is failed as cancelled.
    forgetLocalState(m);
    const status = JSON.parse((await m.run(['status', 'plans/mig.yaml', '--json'])).out) as { stateFrom: string; steps: { id: string; status: string; lastError?: string }[] };
    expect(status.stateFrom).toBe('repository');
    expect(status.steps.find((s) => s.id === 'backup:sales:1')).toMatchObject({ status: 'failed', lastError: 'cancelled by doris-migrate cancel' });
  }, 60_000);
});
