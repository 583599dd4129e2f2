// Reading rows: streamed rows equal the whole result, text is UTF-8, a caller's error is not retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/doris/connection.js';
import type { Row } from '../../src/doris/parse-results.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '3.0' });
  await sim.execute(`CREATE DATABASE shop; ${['a', 'b', 'c'].map((t) => `CREATE TABLE shop.${t} (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");`).join(' ')}`);
});
afterAll(() => sim.dispose());

const open = () => connect({ host: sim.host, port: sim.port, user: 'root', password: '' });

describe('reading rows', () => {
  it('streams the same rows query returns, in one round trip', async () => {
    const client = open();
    const sql = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.tables WHERE TABLE_SCHEMA = 'shop'";
    const streamed: Row[] = [];
    await client.each!(sql, (r) => streamed.push(r));
    expect(client.roundTrips).toBe(1);
    expect(streamed).toEqual(await client.query(sql));
    expect(streamed.map((r) => r.TABLE_NAME).sort()).toEqual(['a', 'b', 'c']);
    await client.close();
  });

  it('decodes text as UTF-8, characters outside the BMP included', async () => {
    const client = open();
    expect(await client.query("SELECT 'Zürich 日本 😀' AS v")).toEqual([{ v: 'Zürich 日本 😀' }]);
    await client.close();
  });

  it('passes a reader error through once, without sending the statement again', async () => {
    const client = open();
    const e = await client.each!("SELECT TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = 'shop'", () => {
      throw new Error('cannot read this row');
    }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('cannot read this row');
    expect(client.roundTrips).toBe(1);
    await client.close();
  });
});
