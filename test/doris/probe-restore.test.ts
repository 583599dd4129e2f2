// The RESTORE property probe against the simulator: it learns what each build accepts and never
// leaves a job behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesOf, parseVersionComment, withProbedRestoreProperties, RESTORE_PROPERTIES } from '../../src/doris/capabilities.js';
import { probeRestoreProperties, probeStatement } from '../../src/doris/probe-restore.js';
import type { DorisClient } from '../../src/doris/client.js';
import { clientFor } from '../support/client.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

const KEYS = ['atomic_restore', 'force_replace', 'reserve_colocate', 'clean_tables', 'reserve_replica'] as const;

describe.each([
  ['2.1.5', { atomic_restore: false, force_replace: false, reserve_colocate: false, clean_tables: false, reserve_replica: true }],
  ['2.1.7', { atomic_restore: true, force_replace: false, reserve_colocate: false, clean_tables: true, reserve_replica: true }],
  ['4.0', { atomic_restore: true, force_replace: true, reserve_colocate: true, clean_tables: true, reserve_replica: true }],
])('probing RESTORE properties on %s', (version, expected) => {
  let sim: TestSim;
  let client: DorisClient;
  beforeAll(async () => {
    sim = await testSimulator({ version, seedSql: 'CREATE DATABASE `my-db`;' });
    client = clientFor(sim);
  });
  afterAll(async () => {
    await client.close();
    await sim.dispose();
  });

  it('finds the keys the build accepts, agreeing with the version table', async () => {
    const probed = await probeRestoreProperties(client, 'my-db', KEYS);
    expect(probed).toEqual(expected);
    const [row] = await sim.query('SELECT @@version_comment AS v');
    const table = capabilitiesOf(parseVersionComment(row!.v!)!);
    for (const key of KEYS) expect(table.restoreProperties.includes(key), key).toBe(expected[key]);
  });

  it('creates no job: every probe was refused at submission', async () => {
    const history = await sim.query('ADMIN SIM SHOW JOB HISTORY');
    expect(history.length).toBeGreaterThan(0);
    expect(history.filter((h) => h.Outcome === 'submitted')).toEqual([]);
    expect(await sim.query('SHOW RESTORE FROM `my-db`')).toEqual([]);
  });
});

describe('probe results over the version table', () => {
  it('let the cluster overrule the table, and keep the table where the probe could not tell', () => {
    const caps = capabilitiesOf(parseVersionComment('doris-2.1.6')!);
    expect(caps.atomicRestore).toBe(false);
    const merged = withProbedRestoreProperties(caps, { atomic_restore: true, force_replace: undefined });
    expect(merged.atomicRestore).toBe(true);
    expect(merged.forceReplace).toBe(false);
    expect(merged.restoreProperties).toContain('atomic_restore');
    expect(RESTORE_PROPERTIES).toContain('reserve_colocate');
  });

  it('quotes the database and names a repository that cannot exist', () => {
    expect(probeStatement('a`b', 'atomic_restore')).toBe(
      'RESTORE SNAPSHOT `a``b`.`__doris_migrate_probe_no_such_repository__` FROM `__doris_migrate_probe_no_such_repository__` PROPERTIES ("backup_timestamp" = "probe", "atomic_restore" = "probe")',
    );
  });
});

describe('capabilities by version', () => {
  it.each([
    ['doris-2.0.15-x', false],
    ['doris-2.0.16-x', true],
    ['doris-2.1.7-x', false],
    ['doris-2.1.8-x', true],
    ['doris-3.0.2-x', false],
    ['doris-3.0.3-x', true],
    ['doris-4.0.1-x', true],
  ])('%s has the CREATING restore state: %s', (comment, creating) => {
    expect(capabilitiesOf(parseVersionComment(comment)!).restoreCreatingState).toBe(creating);
  });
});
