// The reply-dropping proxy (test/support) loses exactly the reply it is told to: the statement
// runs on the simulated FE, the client sees a lost connection, and nothing is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LostReplyError } from '../../src/doris/client.js';
import { connect } from '../../src/doris/connection.js';
import { startReplyDroppingProxy, type ReplyDroppingProxy } from '../support/reply-dropping-proxy.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
let proxy: ReplyDroppingProxy;
beforeAll(async () => {
  sim = await testSimulator();
  proxy = await startReplyDroppingProxy(sim);
});
afterAll(async () => {
  await proxy.close();
  await sim.dispose();
});

describe('reply-dropping proxy', () => {
  it('lets a chosen write run on the FE and loses only its reply', async () => {
    const c = connect({ host: proxy.host, port: proxy.port, user: 'root', password: sim.password, attempts: 3, backoffMs: 5 });
    try {
      expect(await c.query('SELECT 1 AS one')).toEqual([{ one: '1' }]);
      proxy.dropReplyTo(/^CREATE DATABASE/);
      const e = await c.query('CREATE DATABASE `lost_reply_db`').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(LostReplyError);
      expect(proxy.dropped).toEqual(['CREATE DATABASE `lost_reply_db`']);
      // It took effect, was sent once, and the link works again for the next statement.
      expect((await sim.query('SHOW DATABASES')).map((r) => Object.values(r)[0])).toContain('lost_reply_db');
      expect(proxy.statements.filter((s) => s.startsWith('CREATE DATABASE'))).toHaveLength(1);
      expect(await c.query('SELECT 2 AS two')).toEqual([{ two: '2' }]);
    } finally {
      await c.close();
    }
  });
});
