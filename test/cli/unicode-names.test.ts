// Names beyond ASCII on a target before 4.0, where Doris refuses them unless the session sets
// enable_unicode_name_support: apply's target sessions set it when the plan creates such a name,
// and a database name no session could create is refused by `plan`, before anything runs.
import { afterEach, expect, it } from 'vitest';
import { demoMigration, tableContents, type Migration } from '../support/migration.js';

let m: Migration | undefined;
afterEach(async () => {
  await m?.dispose();
  m = undefined;
});

it('migrates `crm-eu`.`Kunden-Ä` into a database renamed to `Kundendaten-Ä` on a 3.0 target', async () => {
  m = await demoMigration({ databases: 'crm-eu', planFlags: ['--rename', 'crm-eu=Kundendaten-Ä'] });
  expect(m.sandbox.target.versionText).toMatch(/^3\.0\./);
  const r = await m.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
  expect(r.code, r.out + r.err).toBe(0);
  const target = m.sandbox.target.engine.world.databases['Kundendaten-Ä'];
  expect(Object.keys(target?.tables ?? {})).toEqual(['Kunden-Ä']);
  const rows = (db: typeof target) => JSON.stringify(db?.tables['Kunden-Ä']?.partitions.map((p) => [...p.rows].map((x) => JSON.stringify(x)).sort()));
  expect(rows(target)).toBe(rows(m.sandbox.source.engine.world.databases['crm-eu']));
  expect(tableContents(m, 'source')['crm-eu.Kunden-Ä']).not.toBe('missing');
}, 120_000);

it('refuses at plan time a rename to a database name Doris cannot create', async () => {
  m = await demoMigration({ databases: 'crm-eu' });
  const { source, target, s3 } = m.sandbox;
  const r = await m.run([
    'plan', '--source', `mysql://root@127.0.0.1:${source.port}`, '--target', `mysql://root@127.0.0.1:${target.port}`, '--repository', 's3://doris-migrate/apply',
    '--s3-endpoint', s3.endpoint, '--replication-num', '1', '--name', 'spaced', '--databases', 'crm-eu', '--rename', 'crm-eu=crm eu', '--no-interactive',
  ]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`doris-migrate: --rename crm-eu=crm eu: Doris 3.0.3 cannot create a database named 'crm eu'; use a letter first`);
}, 120_000);
