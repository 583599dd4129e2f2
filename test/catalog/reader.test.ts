// readCatalog against the simulator, per Doris line: what it finds and what it costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/reader.js';
import type { Catalog } from '../../src/catalog/model.js';
import { clientFor } from '../support/client.js';
import { DEMO_SQL, testSimulator, type TestSim } from '../support/simulator.js';

const seedFor = (version: string): string => (version === '2.0' ? DEMO_SQL.replace(/CREATE MATERIALIZED VIEW daily_revenue[\s\S]*?GROUP BY order_date;/, '') : DEMO_SQL);

describe.each(['2.0', '2.1.5', '2.1', '3.0', '4.0', 'cloud'])('reading a %s catalog', (version) => {
  let sim: TestSim;
  let catalog: Catalog;
  beforeAll(async () => {
    sim = await testSimulator({ version, seedSql: seedFor(version) });
    const client = clientFor(sim);
    catalog = await readCatalog(client);
    await client.close();
  });
  afterAll(() => sim.dispose());

  const db = (name: string) => catalog.databases.find((d) => d.name === name)!;
  const table = (d: string, t: string) => db(d).tables.find((x) => x.name === t)!;

  it('finds the cluster facts and leaves system databases and external catalogs out', () => {
    expect(catalog.cluster.version.cloud).toBe(version === 'cloud');
    expect(catalog.cluster.isAdmin).toBe(true);
    expect(catalog.cluster.aliveBackends).toBe(3);
    expect(catalog.databases.map((d) => d.name).sort()).toEqual(['analytics', 'crm-eu', 'ops', 'sales']);
    expect(catalog.systemDatabases).toContain('__internal_schema');
    expect(catalog.externalCatalogs).toEqual([{ name: 'hive_prod', type: 'hms' }]);
  });

  it('reads keys, distribution, partitions, properties and sizes of OLAP tables', () => {
    const orders = table('sales', 'orders');
    expect(orders).toMatchObject({ kind: 'olap', keyModel: 'DUPLICATE', keyColumns: ['order_id', 'order_date'], partitionType: 'RANGE', partitionColumns: ['order_date'] });
    expect(orders.distribution).toEqual({ type: 'HASH', columns: ['order_id'], buckets: 8 });
    expect(orders.partitions.map((p) => p.name)).toEqual(['p2024', 'p2025', 'p2026']);
    expect(orders.dataBytes).toBeGreaterThanOrEqual(60 * 1024 ** 3);
    expect(orders.columns.map((c) => c.name)).toEqual(['order_id', 'order_date', 'customer_id', 'amount']);
    expect(orders.colocateGroup).toBe('order_group');
    expect(table('analytics', 'events').dynamicPartition).toMatchObject({ enable: 'true', time_unit: 'DAY', start: '-3650', end: '3' });
    expect(table('analytics', 'region_sales').partitionType).toBe('LIST');
    expect(table('crm-eu', 'Kunden-Ä').columns.map((c) => c.name)).toEqual(['id', 'select', 'Straße.Nr']);
  });

  it('marks what BACKUP cannot carry: storage policies, non-OLAP tables, async MVs', () => {
    expect(table('ops', 'audit_log').storagePolicy).toBe('cool_after_30d');
    expect(table('ops', 'legacy_mysql').kind).toBe('external');
    expect(db('analytics').tables.map((t) => t.name)).not.toContain('daily_revenue');
    if (version !== '2.0') {
      const [mv] = db('analytics').asyncMaterializedViews;
      expect(mv!.name).toBe('daily_revenue');
      expect(mv!.createSql).toMatch(/^CREATE MATERIALIZED VIEW/);
      expect(mv!.baseTables).toEqual([{ database: 'sales', name: 'orders' }]);
    }
    expect(db('sales').views.map((v) => [v.name, v.references])).toEqual([['big_orders', [{ database: 'sales', name: 'orders' }]]]);
  });

  it('finds temporary partitions on every line, and keeps them out of the partitions', () => {
    expect(table('ops', 'staging').tempPartitions).toEqual(['tp0']);
    expect(table('ops', 'staging').partitions.map((p) => p.name)).not.toContain('tp0');
    expect(table('sales', 'orders').tempPartitions).toEqual([]);
  });
});

describe('colocation groups', () => {
  it('belong to the database that holds them, not to any database with a table of the same name', async () => {
    const sim = await testSimulator({ seedSql: `${DEMO_SQL}\nCREATE DATABASE other;\nCREATE TABLE other.orders (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1");` });
    const client = clientFor(sim);
    try {
      const other = await readCatalog(client, { databases: ['other'] });
      expect(other.colocateGroups).toEqual([]);
      expect(other.databases[0]!.tables[0]!.colocateGroup).toBeUndefined();
      const both = await readCatalog(client, { databases: ['other', 'sales'] });
      expect(both.colocateGroups.map((g) => `${g.database}.${g.name}: ${g.tables.join(',')}`)).toEqual(['sales.order_group: orders,order_items']);
    } finally {
      await client.close();
      await sim.dispose();
    }
  });
});

describe('query budget', () => {
  const seed = (dbs: number, tables: number) =>
    Array.from({ length: dbs }, (_, d) => [
      `CREATE DATABASE d${d};`,
      ...Array.from({ length: tables }, (__, t) => `CREATE TABLE d${d}.t${t} (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1");`),
    ]).flat().join('\n');

  it('does not grow with the number of tables on 3.0, and does on 2.0', async () => {
    const count = async (version: string, tables: number) => {
      const sim = await testSimulator({ version, seedSql: seed(3, tables) });
      const client = clientFor(sim);
      await readCatalog(client);
      const n = client.roundTrips;
      await client.close();
      await sim.dispose();
      return n;
    };
    expect(await count('3.0', 5)).toBe(await count('3.0', 50));
    expect(await count('2.0', 50)).toBeGreaterThan(await count('2.0', 5));
  });

  it('asks about temporary partitions only for the tables that have some (2.1.7+ / 3.0.2+)', async () => {
    const count = async (temp: number) => {
      const alter = Array.from({ length: temp }, (_, t) => `ALTER TABLE d0.t${t} ADD TEMPORARY PARTITION tp VALUES LESS THAN ("10");`).join('\n');
      const ranged = seed(2, 30).replace(/DISTRIBUTED BY/g, 'PARTITION BY RANGE(k) (PARTITION p0 VALUES LESS THAN ("100")) DISTRIBUTED BY');
      const sim = await testSimulator({ version: '3.0', seedSql: `${ranged}\n${alter}` });
      const client = clientFor(sim);
      const catalog = await readCatalog(client);
      const n = client.roundTrips;
      await client.close();
      await sim.dispose();
      const withTemp = catalog.databases.flatMap((d) => d.tables.filter((t) => t.tempPartitions.length > 0).map((t) => `${d.name}.${t.name}`));
      return { n, withTemp };
    };
    const none = await count(0);
    const three = await count(3);
    expect(three.withTemp.sort()).toEqual(['d0.t0', 'd0.t1', 'd0.t2']);
    expect(three.n - none.n).toBe(3);
  });
});
