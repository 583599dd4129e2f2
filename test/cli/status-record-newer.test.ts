// `status` and `list` read a migration's state as apply resumes it: the newer of the local state and
// the run's record in the repository. A local state left behind by an earlier run on this machine
// (the migration went on from another one) must not hide what the record says; a record that
// cannot be reached leaves the local state shown, with a warning that it may be older.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint } from '../../src/run/checkpoint.js';
import { journalPath } from '../../src/run/journal.js';
import { captureIO } from '../support/io.js';
import { demoMigration, READ_FROM_RECORD, type Migration } from '../support/migration.js';

let m: Migration;
beforeAll(async () => {
  m = await demoMigration({ databases: 'analytics' });
});
afterAll(() => m.dispose());

interface StatusJson { started: boolean; stateFrom: string; updatedAt: string; done: number; failed: number; total: number }

describe('status with a local state older than the record', () => {
  it("shows the record's state and says so; with the repository out of reach, the local one with a warning", async () => {
    // A partial run here (the restores fail on a target without backends), its local state kept aside.
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    expect((await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes'])).code).toBe(1);
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 3');
    const statePath = join(m.dir, 'plans', 'mig.state.json');
    const files = [statePath, journalPath(statePath)].filter((f) => existsSync(f));
    for (const f of files) copyFileSync(f, `${f}.old`);
    const old = fileCheckpoint(statePath).load()!;

    // The run finishes (as on another machine), then this machine's old state comes back.
    const finished = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
    expect(finished.code, finished.err).toBe(0);
    const latest = fileCheckpoint(statePath).load()!;
    rmSync(journalPath(statePath), { force: true });
    for (const f of files) copyFileSync(`${f}.old`, f);
    expect(fileCheckpoint(statePath).load()!.updatedAt).toBe(old.updatedAt);

    const status = await m.run(['status', 'plans/mig.yaml', '--json']);
    expect(status.code, status.err).toBe(0);
    const json = JSON.parse(status.out) as StatusJson;
    expect(json).toMatchObject({ started: true, stateFrom: 'repository', updatedAt: latest.updatedAt, failed: 0 });
    expect(json.done).toBe(json.total);
    expect(status.err).toMatch(READ_FROM_RECORD);
    const text = await m.run(['status', 'plans/mig.yaml']);
    expect(text.out.split('\n')[0]).toBe(`mig: last update ${latest.updatedAt} (from the run's record in s3://doris-migrate/apply (newer than ${statePath}))`);
    expect(JSON.parse((await m.run(['list', '--json'])).out)).toEqual([expect.objectContaining({ name: 'mig', state: 'verified', stateFrom: 'repository', updatedAt: latest.updatedAt })]);

    // No credentials for the repository here: the local state, named as possibly older.
    const { AWS_SECRET_ACCESS_KEY: _s, ...noKey } = m.env;
    const io = captureIO({ cwd: m.dir, env: noKey });
    const { main } = await import('../../src/cli/main.js');
    expect(await main(['status', 'plans/mig.yaml', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ started: true, stateFrom: 'local', updatedAt: old.updatedAt });
    const warnings = io.err().trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^state: the run's record in s3:\/\/doris-migrate\/apply cannot be read \(.*AWS_SECRET_ACCESS_KEY.*\); using .*mig\.state\.json, which may be older$/);
  }, 60_000);
});
