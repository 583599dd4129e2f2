// A SELECT from the wire is answered slice by slice as its rows are made (a million-row
// information_schema answer is never held whole): the client gets exactly the rows, in the order,
// an in-process run of the same statement gives, and the connection is usable afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/sandbox/engine.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

const ROWS = 20_000;

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '3.0' });
  const values = Array.from({ length: ROWS }, (_, i) => `(${i}, '${i % 3 ? `v${i}` : 'ü'.repeat(i % 40)}')`).join(', ');
  await sim.execute(
    'CREATE DATABASE s; CREATE TABLE s.t (id INT NOT NULL, v VARCHAR(64)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");' +
      `INSERT INTO s.t VALUES ${values};`,
  );
});
afterAll(() => sim.dispose());

describe('streamed answers', () => {
  it('a result of several slices arrives whole and in order, and the next statement on the connection works', async () => {
    const session: Session = { id: 0, user: sim.engine.world.users.root!, db: undefined, vars: {} };
    const inProcess = await sim.engine.execute('SELECT id, v FROM s.t', session);
    expect(inProcess.kind).toBe('rows');
    const expected = inProcess.kind === 'rows' ? inProcess.rows.map(([id, v]) => ({ id, v })) : [];
    expect(expected).toHaveLength(ROWS);
    const c = await sim.connect();
    try {
      const [rows] = await c.query('SELECT id, v FROM s.t');
      expect(rows).toEqual(expected);
      const [count] = await c.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE TABLE_SCHEMA = 's'");
      expect(count).toEqual([{ n: '1' }]);
    } finally {
      await c.end();
    }
  });
});
