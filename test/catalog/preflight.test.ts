// Target facts: which tables the plan would restore onto, and which differ in schema, read from a
// real simulator whose catalog path (SHOW CREATE TABLE on 2.0, information_schema on 3.0) differs
// from the source's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/reader.js';
import { readTargetFacts, schemaDifference } from '../../src/catalog/preflight.js';
import type { Catalog, Table, TargetFacts } from '../../src/catalog/model.js';
import { clientFor } from '../support/client.js';
import { DEMO_SQL, testSimulator, type TestSim } from '../support/simulator.js';

const TARGET_SEED = `
CREATE DATABASE sales;
USE sales;
CREATE TABLE orders (
  order_id BIGINT NOT NULL,
  order_date DATE NOT NULL,
  customer_id BIGINT,
  amount DECIMAL(12, 2)
) DUPLICATE KEY(order_id, order_date)
PARTITION BY RANGE(order_date) (PARTITION p1 VALUES LESS THAN ("2030-01-01"))
DISTRIBUTED BY HASH(order_id) BUCKETS 8
PROPERTIES ("replication_num" = "1");
CREATE TABLE customers (id BIGINT NOT NULL, name VARCHAR(64), country CHAR(2)) UNIQUE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 16 PROPERTIES ("replication_num" = "1");
CREATE VIEW order_items AS SELECT 1 AS x;
CREATE DATABASE \`crm-eu\`;
SET enable_unicode_name_support = true;
CREATE TABLE \`crm-eu\`.\`Kunden-Ä\` (id INT NOT NULL, \`select\` VARCHAR(10), \`Straße\` INT) DUPLICATE KEY(id)
DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
`;

let source: TestSim;
let catalog: Catalog;
beforeAll(async () => {
  source = await testSimulator({ version: '2.1.7', seedSql: DEMO_SQL });
  const client = clientFor(source);
  catalog = await readCatalog(client);
  await client.close();
});
afterAll(() => source.dispose());

describe.each(['2.0', '3.0'])('target facts from a %s target', (version) => {
  let target: TestSim;
  let facts: TargetFacts;
  beforeAll(async () => {
    target = await testSimulator({ version, seedSql: TARGET_SEED });
    const client = clientFor(target);
    facts = await readTargetFacts(client, catalog, { sales: 'sales', 'crm-eu': 'crm-eu', analytics: 'analytics_new' });
    await client.close();
  });
  afterAll(() => target.dispose());

  it('knows the target cluster and which databases exist', () => {
    expect(facts.cluster.version.major).toBe(Number(version.split('.')[0]));
    expect(facts.cluster.isAdmin).toBe(true);
    expect(facts.cluster.aliveBackends).toBeGreaterThan(0);
    expect([...facts.existingDatabases].sort()).toEqual(['crm-eu', 'sales']);
  });

  it('asks the target which RESTORE properties it accepts, and the answer matches its version', () => {
    const expected = version === '2.0'
      ? { atomic_restore: false, force_replace: false, reserve_colocate: false, clean_tables: true, clean_partitions: true } // 2.0.15
      : { atomic_restore: true, force_replace: false, reserve_colocate: false, clean_tables: true, clean_partitions: true }; // 3.0.3
    expect(facts.restoreProperties).toEqual(expected);
  });

  it('lists every clash, with a reason only where the schema differs', () => {
    const byName = Object.fromEntries(facts.existingTables.map((t) => [`${t.database}.${t.name}`, t.difference]));
    expect(Object.keys(byName).sort()).toEqual(['crm-eu.Kunden-Ä', 'sales.customers', 'sales.order_items', 'sales.orders']);
    expect(byName['sales.orders']).toBeUndefined();
    expect(byName['sales.customers']).toBe('bucket count differs: 4 vs 16');
    expect(byName['sales.order_items']).toMatch(/view/);
    expect(byName['crm-eu.Kunden-Ä']).toMatch(/^columns differ/);
  });
});

describe('schemaDifference', () => {
  const base: Table = {
    name: 't', engine: 'Doris', kind: 'olap', keyModel: 'DUPLICATE', keyColumns: ['a'], partitionType: 'RANGE', partitionColumns: ['d'],
    columns: [{ name: 'a', type: 'int', nullable: false, isKey: true }, { name: 'd', type: 'date', nullable: false, isKey: false }],
    distribution: { type: 'HASH', columns: ['a'], buckets: 8 }, partitions: [], tempPartitions: [], properties: {}, rollups: [], rows: 0, dataBytes: 0,
  };
  const t = (patch: Partial<Table>): Table => ({ ...base, ...patch });

  it.each<[string, Partial<Table>, string | undefined]>([
    ['same', {}, undefined],
    ['nullability', { columns: [{ name: 'a', type: 'int', nullable: true, isKey: true }, base.columns[1]!] }, 'columns differ: source (a int NOT NULL, d date NOT NULL), target (a int, d date NOT NULL)'],
    ['key columns', { keyColumns: ['a', 'd'] }, 'key columns differ: (a) vs (a, d)'],
    ['key model', { keyModel: 'UNIQUE' }, 'key model differs: DUPLICATE vs UNIQUE'],
    ['partition type', { partitionType: 'LIST' }, 'partitioning differs: RANGE vs LIST'],
    ['partition columns', { partitionColumns: ['a'] }, 'partition columns differ: (d) vs (a)'],
    ['distribution type', { distribution: { type: 'RANDOM', columns: [], buckets: 8 } }, 'distribution differs: HASH vs RANDOM'],
    ['distribution columns', { distribution: { type: 'HASH', columns: ['d'], buckets: 8 } }, 'distribution columns differ: (a) vs (d)'],
    ['buckets', { distribution: { type: 'HASH', columns: ['a'], buckets: 4 } }, 'bucket count differs: 8 vs 4'],
    ['AUTO buckets are not compared', { distribution: { type: 'HASH', columns: ['a'], buckets: 'AUTO' } }, undefined],
  ])('%s', (_name, patch, expected) => expect(schemaDifference(base, t(patch))).toBe(expected));
});
