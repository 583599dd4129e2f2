// A tiny MySQL-protocol server for connection tests: it answers every statement with one row,
// except that it can drop the link instead of replying, or answer with a Doris-shaped error.
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import mysql from 'mysql2';

type Conn = {
  sequenceId: number;
  stream: Socket;
  on(event: string, fn: (...args: never[]) => void): void;
  serverHandshake(args: Record<string, unknown>): void;
  writeTextResult(rows: unknown[], columns: unknown[]): void;
  writeError(args: { code: number; message: string }): void;
};

export interface FlakyServer {
  port: number;
  /** Every statement received, in order. */
  received: string[];
  /** The next n statements get their connection destroyed instead of a reply. */
  dropNext(n: number): void;
  /** Statements matching this get an error reply. */
  failWith(match: RegExp, errno: number, message: string): void;
  /** Destroys every open connection now (between statements). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFlakyServer(): Promise<FlakyServer> {
  const server = (mysql.createServer as unknown as () => unknown)() as { _server: NetServer; on: (e: string, fn: (c: Conn) => void) => void; listen: (p: number, h: string, cb: () => void) => void };
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const failures: { match: RegExp; errno: number; message: string }[] = [];
  let drops = 0;
  let id = 1;
  server.on('connection', (conn) => {
    sockets.add(conn.stream);
    conn.stream.on('close', () => sockets.delete(conn.stream));
    conn.on('error', () => conn.stream.destroy());
    conn.serverHandshake({
      protocolVersion: 10, serverVersion: '5.7.99', connectionId: id++, statusFlags: 2, characterSet: 33, capabilityFlags: 0xffffff,
      authCallback: (_params: unknown, cb: (err: Error | null) => void) => {
        cb(null);
        conn.sequenceId = 0;
      },
    });
    conn.on('query', (sql: string) => {
      received.push(sql);
      if (drops > 0) {
        drops--;
        conn.stream.destroy();
        return;
      }
      const failure = failures.find((f) => f.match.test(sql));
      if (failure) conn.writeError({ code: failure.errno, message: failure.message });
      else conn.writeTextResult([{ ok: 'yes' }], [{ catalog: 'def', schema: '', table: '', orgTable: '', name: 'ok', orgName: 'ok', characterSet: 33, columnLength: 10, columnType: mysql.Types.VAR_STRING, flags: 0, decimals: 0 }]);
      conn.sequenceId = 0;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server._server.address() as AddressInfo).port,
    received,
    dropNext: (n) => (drops = n),
    failWith: (match, errno, message) => failures.push({ match, errno, message }),
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server._server.close(() => resolve());
      }),
  };
}
