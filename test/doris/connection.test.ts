// The connection layer: retries while the FE refuses connections, then names what gave up.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/doris/connection.js';
import { DorisQueryError } from '../../src/doris/client.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '2.1', rootPassword: 'pw' });
});
afterAll(() => sim.dispose());

describe('connection', () => {
  it('survives a window of refused connections by retrying with backoff', async () => {
    await sim.query('ADMIN SIM REFUSE CONNECTIONS FOR 0.3');
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, ms));
    };
    const client = connect({ host: sim.host, port: sim.port, user: 'root', password: 'pw', attempts: 6, backoffMs: 50, sleep });
    expect(await client.query('SELECT 1 AS one')).toEqual([{ one: '1' }]);
    // Refused connections never carried the statement: it was sent once, after backing off.
    expect(client.roundTrips).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits).toEqual(waits.map((_, i) => 50 * 2 ** i));
    await client.close();
  });

  it('gives up with one line naming the address and the statement kind', async () => {
    const client = connect({ host: '127.0.0.1', port: 9, user: 'root', password: 'pw', attempts: 2, backoffMs: 10 });
    await expect(client.query('SHOW BACKUP FROM x')).rejects.toThrow(
      "cannot reach the FE at 127.0.0.1:9 to run SHOW BACKUP (ECONNREFUSED, 2 attempts): nothing accepts connections at 127.0.0.1:9: check the host, that 9 is the FE's query port (query_port in fe.conf, 9030 by default), and that the FE is running",
    );
    await client.close();
  });

  it('gives up at the first connect timeout on a port that accepts but is no MySQL server', async () => {
    // Like an FE's HTTP port: it takes the connection and waits for a request that never comes.
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      accepted.push(socket);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const client = connect({ host: '127.0.0.1', port, user: 'root', password: 'pw', connectTimeoutMs: 3000, attempts: 5, backoffMs: 10 });
    const e = (await client.query('SELECT 1').catch((x: unknown) => x)) as Error;
    expect(e.message).toBe(
      `cannot reach the FE at 127.0.0.1:${port} to run SELECT 1 (no MySQL handshake, 1 attempt): 127.0.0.1:${port} accepted the connection but did not answer as a MySQL server within 3 s: check that ${port} is the FE's query port (query_port in fe.conf, 9030 by default), not the FE's HTTP port (8030) or another service`,
    );
    // One connection, not one per attempt: the failure is known after a single connect timeout.
    expect(accepted).toHaveLength(1);
    await client.close();
    for (const s of accepted) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('surfaces Doris refusals with the detail text, and a wrong password as a refusal (exit 4)', async () => {
    const client = connect({ host: sim.host, port: sim.port, user: 'root', password: 'pw' });
    const e = await client.query('SHOW TABLES FROM nowhere').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DorisQueryError);
    expect((e as DorisQueryError).detail).toBe("Unknown database 'nowhere'");
    await client.close();
    const bad = connect({ host: sim.host, port: sim.port, user: 'root', password: 'wrong' });
    await expect(bad.query('SELECT 1')).rejects.toMatchObject({ exitCode: 4 });
    await bad.close();
  });
});
