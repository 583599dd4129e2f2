// What the connection layer retries and what it refuses to send twice, against a real
// MySQL-protocol server that drops links on demand.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/doris/connection.js';
import { DorisQueryError, LostReplyError } from '../../src/doris/client.js';
import { startFlakyServer, type FlakyServer } from './flaky-server.js';

let server: FlakyServer;
beforeAll(async () => {
  server = await startFlakyServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.dropNext(0);
});

const client = () => connect({ host: '127.0.0.1', port: server.port, user: 'root', password: '', attempts: 4, backoffMs: 5 });

describe('retries', () => {
  it('runs a read again when the link drops mid-statement', async () => {
    const c = client();
    server.dropNext(2);
    expect(await c.query('SHOW BACKUP FROM `db`')).toEqual([{ ok: 'yes' }]);
    expect(server.received).toEqual(['SHOW BACKUP FROM `db`', 'SHOW BACKUP FROM `db`', 'SHOW BACKUP FROM `db`']);
    expect(c.roundTrips).toBe(3);
    await c.close();
  });

  it('never sends a write twice after a lost reply, and says the outcome is unknown', async () => {
    const c = client();
    server.dropNext(1);
    const statement = 'BACKUP SNAPSHOT `db`.`l1` TO `repo` PROPERTIES ("timeout" = "86400")';
    const e = await c.query(statement).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LostReplyError);
    expect(e).toMatchObject({ code: 'connection-lost', exitCode: 1 });
    expect((e as Error).message).toMatch(/^lost the connection to 127\.0\.0\.1:\d+ while running BACKUP SNAPSHOT: .*whether it took effect is unknown/);
    expect(server.received).toEqual([statement]);
    await c.close();
  });

  it('keeps secrets of a statement out of its error', async () => {
    const c = client();
    server.dropNext(1);
    const e = await c.query('CREATE REPOSITORY `r` WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.secret_key" = "TOPSECRET")').catch((x: unknown) => x);
    expect((e as Error).message).toContain('CREATE REPOSITORY');
    expect((e as Error).message).not.toContain('TOPSECRET');
    await c.close();
  });

  it('sends a write once on a fresh connection after idle links were closed by the FE', async () => {
    const c = client();
    await c.query('SELECT 1');
    server.dropAll();
    await new Promise((r) => setTimeout(r, 20));
    server.received.length = 0;
    expect(await c.query('CANCEL BACKUP FROM `db`')).toEqual([{ ok: 'yes' }]);
    expect(server.received).toEqual(['CANCEL BACKUP FROM `db`']);
    await c.close();
  });

  it('gives up on a read after the allowed attempts, naming them', async () => {
    const c = client();
    server.dropNext(10);
    await expect(c.query('SHOW SNAPSHOT ON `r`')).rejects.toThrow(/^cannot run SHOW SNAPSHOT on 127\.0\.0\.1:\d+ after 4 attempts: PROTOCOL_CONNECTION_LOST$/);
    expect(server.received).toHaveLength(4);
    await c.close();
  });
});

describe('Doris errors', () => {
  it('strip the errCode wrapper into detail and are not retried', async () => {
    server.failWith(/^RESTORE/, 1105, 'errCode = 2, detailMessage = Unknown restore job properties: [reserve_colocate]');
    server.failWith(/^BACKUP SNAPSHOT `nope`/, 1227, 'errCode = 2, detailMessage = Access denied; you need (at least one of) the (LOAD) privilege(s) for this operation');
    const c = client();
    const e = await c.query('RESTORE SNAPSHOT `d`.`l` FROM `r` PROPERTIES ("backup_timestamp" = "x", "reserve_colocate" = "true")').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DorisQueryError);
    expect(e).toMatchObject({ errno: 1105, detail: 'Unknown restore job properties: [reserve_colocate]', statementKind: 'RESTORE SNAPSHOT', exitCode: 1 });
    expect((e as Error).message).toMatch(/^127\.0\.0\.1:\d+: RESTORE SNAPSHOT failed: Unknown restore job properties/);
    const denied = await c.query('BACKUP SNAPSHOT `nope`.`l` TO `r`').catch((x: unknown) => x);
    expect(denied).toMatchObject({ code: 'doris-access-denied', exitCode: 1 });
    expect(server.received.filter((s) => s.startsWith('RESTORE'))).toHaveLength(1);
    await c.close();
  });
});
