// information_schema reads filtered by TABLE_SCHEMA: the simulator skips other databases before
// making their rows, and the answer is exactly what filtering every row would give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '3.0' });
  const table = (db: string, t: string) => `CREATE TABLE \`${db}\`.${t} (id INT NOT NULL) DUPLICATE KEY(id) PARTITION BY RANGE(id) (PARTITION p1 VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");`;
  await sim.execute(['a', 'b', 'c', 'd01'].map((db) => `CREATE DATABASE \`${db}\`; ${table(db, 'x')} ${table(db, 'y')}`).join('\n'));
});
afterAll(() => sim.dispose());

const schemas = async (sql: string) => (await sim.query(sql)).map((r) => `${r.TABLE_SCHEMA}.${r.TABLE_NAME}`).sort();

describe('information_schema filtered by TABLE_SCHEMA', () => {
  it.each([
    ['IN', "TABLE_SCHEMA IN ('a', 'c')", ['a.x', 'a.y', 'c.x', 'c.y']],
    ['=', "TABLE_SCHEMA = 'b'", ['b.x', 'b.y']],
    ['NOT IN', "TABLE_SCHEMA NOT IN ('information_schema', 'mysql', '__internal_schema', 'a', 'd01')", ['b.x', 'b.y', 'c.x', 'c.y']],
    ['AND another column', "TABLE_SCHEMA IN ('a', 'b') AND TABLE_NAME = 'y'", ['a.y', 'b.y']],
    ['OR (no shortcut)', "TABLE_SCHEMA = 'a' OR TABLE_NAME = 'y'", ['a.x', 'a.y', 'b.y', 'c.y', 'd01.y']],
    // A Doris database name starts with a letter (FeNameFormat), so no name equals a number.
    ['numeric comparison as before', 'TABLE_SCHEMA IN (1, 0)', []],
  ])('%s', async (_label, where, expected) => {
    for (const table of ['tables', 'table_options', 'partitions']) expect(await schemas(`SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.${table} WHERE ${where}`)).toEqual(expected);
  });

  it('lists information_schema itself only when the filter keeps it', async () => {
    expect(await schemas("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'tables'")).toEqual(['information_schema.tables']);
    expect(await schemas("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = 'a'")).toEqual(['a.x', 'a.y']);
  });

  it('refuses an unknown column even when no row is left to test', async () => {
    const c = await sim.connect();
    try {
      expect((await failure(c, "SELECT TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = 'nowhere' AND NOPE = 1")).message).toContain("Unknown column 'NOPE'");
    } finally {
      await c.end();
    }
  });
});
