// In a terminal, apply asks whether the manual follow-ups it printed are done, and counts them
// done (running their SQL) only when the person says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunState } from '../../src/run/state-model.js';
import { demoMigration, type Migration } from '../support/migration.js';
import { TmuxSession } from '../support/tmux.js';

const root = join(import.meta.dirname, '..', '..');
const cli = `${process.execPath} --import ${pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href} ${join(root, 'test', 'support', 'cli-entry.ts')}`;
let m: Migration;
let session: TmuxSession | undefined;
afterAll(async () => {
  session?.kill();
  await m?.dispose();
});

describe('apply in a terminal with manual follow-ups', () => {
  it('asks, and marks them done only after a yes', async () => {
    m = await demoMigration({ databases: 'sales' });
    // Without sales.orders, the view sales.big_orders reads a table outside the plan: a manual step.
    const planned = await m.run([
      'plan', '--source', `mysql://root@127.0.0.1:${m.sandbox.source.port}`, '--target', `mysql://root@127.0.0.1:${m.sandbox.target.port}`,
      '--repository', 's3://doris-migrate/manual', '--s3-endpoint', m.sandbox.s3.endpoint, '--replication-num', '1', '--name', 'man',
      '--databases', 'sales', '--exclude', 'sales.orders', '--no-interactive',
    ]);
    expect(planned.code, planned.err).toBe(0);
    session = TmuxSession.start(`dm-manual-${process.pid}`, `${cli} apply plans/man.yaml --poll-interval 0.05`, m.env, m.dir);
    await session.waitFor('apply man');
    session.type('y');
    session.press('Enter');
    await session.waitFor(/The follow-up above is for a person\. Is it done\?/, 40_000);
    const state = () => JSON.parse(readFileSync(join(m.dir, 'plans', 'man.state.json'), 'utf8')) as RunState;
    expect(state().steps['manual:sales:big_orders']?.status).toBe('manual');
    session.type('y');
    session.press('Enter');
    await session.waitFor('[exit 0]', 40_000);
    expect(state().steps['manual:sales:big_orders']?.status).toBe('done');
  }, 90_000);
});
