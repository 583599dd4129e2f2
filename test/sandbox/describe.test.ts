// DESC [db.]table [ALL] as Doris prints it: the base schema, or every index (table, then rollups)
// with an empty row between indexes; read without a current database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SQL, failure, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '2.1', seedSql: DEMO_SQL });
  await sim.execute('USE sales; CREATE MATERIALIZED VIEW by_customer AS SELECT customer_id, order_id FROM orders;');
});
afterAll(() => sim.dispose());

describe('DESC', () => {
  it('lists the base schema with the six IndexSchemaProcNode columns', async () => {
    expect(await sim.columns('DESC sales.orders')).toEqual(['Field', 'Type', 'Null', 'Key', 'Default', 'Extra']);
    expect(await sim.query('DESCRIBE sales.order_items')).toEqual([
      { Field: 'order_id', Type: 'bigint', Null: 'No', Key: 'true', Default: 'NULL', Extra: '' },
      { Field: 'line', Type: 'int', Null: 'No', Key: 'true', Default: 'NULL', Extra: '' },
      { Field: 'sku', Type: 'varchar(32)', Null: 'Yes', Key: 'true', Default: 'NULL', Extra: '' },
      { Field: 'qty', Type: 'int', Null: 'Yes', Key: 'false', Default: '0', Extra: 'SUM' },
    ]);
  });

  it('with ALL names each index on its first row, table first, and separates indexes by an empty row', async () => {
    expect(await sim.columns('DESC sales.orders ALL')).toEqual(['IndexName', 'IndexKeysType', 'Field', 'Type', 'InternalType', 'Null', 'Key', 'Default', 'Extra', 'Visible', 'DefineExpr', 'WhereClause']);
    const rows = await sim.query('DESC `sales`.`orders` ALL');
    expect(rows.map((r) => [r.IndexName, r.IndexKeysType, r.Field, r.Type])).toEqual([
      ['orders', 'DUP_KEYS', 'order_id', 'bigint'],
      ['', '', 'order_date', 'DATE'],
      ['', '', 'customer_id', 'bigint'],
      ['', '', 'amount', 'DECIMAL(12, 2)'],
      ['', '', '', ''],
      ['by_customer', 'DUP_KEYS', 'customer_id', 'bigint'],
      ['', '', 'order_id', 'bigint'],
    ]);
    expect(rows[1]).toMatchObject({ InternalType: 'datev2', Null: 'No', Visible: 'true' });
  });

  it('refuses ALL on a view and an unknown table as Doris does', async () => {
    const c = await sim.connect();
    try {
      expect(await failure(c, 'DESC sales.big_orders ALL')).toMatchObject({ errno: 1286, message: expect.stringContaining("Unknown storage engine 'VIEW'") as unknown });
      expect((await failure(c, 'DESC sales.nope ALL')).message).toMatch(/nope/);
    } finally {
      await c.end();
    }
  });
});
