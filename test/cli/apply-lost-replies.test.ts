// A write whose reply is lost (a proxy between apply and the FE lets the statement run and resets
// the link before its reply) is resolved by reading the cluster, never sent again blindly.
import { afterEach, describe, expect, it } from 'vitest';
import { demoMigration, tableContents, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

const apply = (mig: Migration) => mig.run(['apply', 'plans/mig.yaml', '--yes', '--poll-interval', '0.02']);
const submitted = (mig: Migration, side: 'source' | 'target', statement: 'BACKUP' | 'RESTORE') => mig.sandbox[side].jobs.history().filter((h) => h.statement === statement && h.outcome === 'submitted');

describe('apply after a lost reply', () => {
  it('RESTORE: exactly one restore job, and the run completes', async () => {
    m = await demoMigration({ databases: 'sales', proxied: true });
    m.proxies!.target.dropReplyTo(/^RESTORE SNAPSHOT/);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(0);
    expect(m.proxies!.target.dropped).toHaveLength(1);
    expect(submitted(m, 'target', 'RESTORE')).toHaveLength(1);
    expect(m.proxies!.target.statements.filter((s) => s.startsWith('RESTORE SNAPSHOT'))).toHaveLength(1);
    expect(tableContents(m, 'target')['sales.orders']).toBe(tableContents(m, 'source')['sales.orders']);
  }, 60_000);

  it('BACKUP: the job it started (_a1) is adopted; no _a2', async () => {
    m = await demoMigration({ databases: 'sales', proxied: true });
    m.proxies!.source.dropReplyTo(/^BACKUP SNAPSHOT/);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(0);
    expect(m.proxies!.source.dropped).toHaveLength(1);
    expect(submitted(m, 'source', 'BACKUP').map((h) => h.label)).toEqual([expect.stringMatching(/_b1_a1$/)]);
    expect(r.out).not.toMatch(/_a2/);
  }, 60_000);

  it('CREATE REPOSITORY: the step finds the repository at our location and succeeds', async () => {
    m = await demoMigration({ databases: 'sales', proxied: true });
    m.proxies!.source.dropReplyTo(/^CREATE REPOSITORY/);
    m.proxies!.target.dropReplyTo(/^CREATE READ ONLY REPOSITORY/);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(0);
    expect(m.proxies!.source.dropped).toHaveLength(1);
    expect(m.proxies!.target.dropped).toHaveLength(1);
    expect(r.out).not.toContain('FAILED');
    for (const p of [m.proxies!.source, m.proxies!.target]) expect(p.statements.filter((s) => /^CREATE (READ ONLY )?REPOSITORY/.test(s))).toHaveLength(1);
  }, 60_000);
});
