// apply in a real pseudo-terminal: a missing password is asked (hidden) before the confirmation,
// declining changes nothing, and the live view ends under ✖ when the run fails.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TSX_LOADER } from '../support/cli.js';
import { demoMigration, type Migration } from '../support/migration.js';
import { TmuxSession } from '../support/tmux.js';

const root = join(import.meta.dirname, '..', '..');
const cli = `${process.execPath} --import ${TSX_LOADER} ${join(root, 'test', 'support', 'cli-entry.ts')}`;
let m: Migration | undefined;
let session: TmuxSession | undefined;
afterEach(async () => {
  session?.kill();
  session = undefined;
  await m?.dispose();
  m = undefined;
});

describe('apply in a terminal', () => {
  it('asks for a missing password before confirming, and declining does nothing', async () => {
    m = await demoMigration({ databases: 'analytics' });
    const { DORIS_SOURCE_PASSWORD: _s, DORIS_TARGET_PASSWORD: _t, ...env } = m.env;
    session = TmuxSession.start(`dm-apply-pw-${process.pid}`, `${cli} apply plans/mig.yaml`, env, m.dir);
    await session.waitFor(`DORIS_SOURCE_PASSWORD is not set: password of root@127.0.0.1:${m.sandbox.source.port}`);
    session.type('typed-secret');
    session.press('Enter');
    await session.waitFor('DORIS_TARGET_PASSWORD is not set');
    expect(session.screen()).not.toContain('typed-secret');
    session.press('Enter');
    await session.waitFor('apply mig (');
    session.type('n');
    session.press('Enter');
    const screen = await session.waitFor('[exit 0]');
    expect(screen).toContain('nothing done');
    expect(existsSync(join(m.dir, 'plans', 'mig.state.json'))).toBe(false);
    expect(existsSync(join(m.dir, 'plans', 'mig.log'))).toBe(false);
  }, 60_000);

  it('a failed run ends under ✖ with the summary, not under a green ✔', async () => {
    m = await demoMigration({ databases: 'analytics' });
    await m.sandbox.target.execute('ADMIN SIM SET ALIVE BACKENDS 0');
    session = TmuxSession.start(`dm-apply-fail-${process.pid}`, `${cli} apply plans/mig.yaml --yes --poll-interval 0.02`, m.env, m.dir);
    const screen = await session.waitFor('[exit 1]', 60_000);
    expect(screen).toContain('✖ failed');
    expect(screen).toContain('failed: restore:analytics:1');
    expect(screen).not.toContain('✔');
  }, 90_000);
});
