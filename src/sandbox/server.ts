// The MySQL wire layer (mysql2's server API) in front of an Engine.
import { createHash } from 'node:crypto';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import mysql from 'mysql2';
import type { Engine, Result, Session } from './engine.js';
import { DorisError } from './errors.js';
import type { SimUser } from './store.js';
import { writeTextRowSlices, writeTextRows } from './wire-rows.js';

/** Statements that only read: their replies need no write of the world first. */
const READ_ONLY = /^\s*(SHOW|SELECT|DESC|DESCRIBE|EXPLAIN|HELP|USE|SET|ADMIN\s+SIM\s+SHOW)\b/i;

/** The fixed MySQL-compatible version string Doris reports (not the Doris version). */
const SERVER_VERSION = '5.7.99';

type Conn = {
  sequenceId: number;
  stream: Socket;
  on(event: string, fn: (...args: never[]) => void): void;
  serverHandshake(args: Record<string, unknown>): void;
  writeOk(args?: { affectedRows?: number }): void;
  writeColumns(columns: unknown[]): void;
  writeTextRow(row: unknown[]): void;
  writeEof(): void;
  writePacket(packet: unknown): void;
  /** What every packet goes through on its way to the socket. */
  write: (buffer: Buffer) => void;
  close(): void;
};

/** Until `end`, buffers what the connection writes and sends it in chunks of about a MiB (or at `flush`). */
function gather(conn: Conn): { flush(): void; end(): void } {
  const send = conn.write;
  let pending: Buffer[] = [];
  let size = 0;
  const flush = (): void => {
    if (size > 0) send.call(conn, pending.length === 1 ? pending[0]! : Buffer.concat(pending, size));
    pending = [];
    size = 0;
  };
  conn.write = (buffer: Buffer): void => {
    pending.push(buffer);
    size += buffer.length;
    if (size >= 1 << 20) flush();
  };
  return {
    flush,
    end() {
      flush();
      conn.write = send;
    },
  };
}

/**
 * Between slices of a streamed answer: lets the socket send what it holds (waiting for `drain`
 * when its buffer is full) and the event loop turn. Throws once the client is gone, so no more
 * rows are made for nobody.
 */
async function letSocketDrain(socket: Socket): Promise<void> {
  if (socket.writableNeedDrain) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.once('drain', done);
      socket.once('close', done);
    });
  } else await new Promise<void>((resolve) => setImmediate(resolve));
  if (socket.destroyed) throw new Error('client gone while its answer was being written');
}

const COM_RESET_CONNECTION = 31;
/** Names Doris prints in `Unsupported command(...)` for the commands mysql2 leaves to us. */
const COMMAND_NAMES: Record<number, string> = {
  8: 'COM_SHUTDOWN', 9: 'COM_STATISTICS', 10: 'COM_PROCESS_INFO', 12: 'COM_PROCESS_KILL', 13: 'COM_DEBUG',
  17: 'COM_CHANGE_USER', 24: 'COM_STMT_SEND_LONG_DATA', 25: 'COM_STMT_CLOSE', 26: 'COM_STMT_RESET', 27: 'COM_SET_OPTION', 28: 'COM_STMT_FETCH',
};

const sha1 = (b: Buffer | string): Buffer => createHash('sha1').update(b).digest();

/** SHA1(SHA1(password)) in hex: what the simulator stores instead of the password. */
export const passwordHash = (password: string): string => (password ? sha1(sha1(password)).toString('hex') : '');

/** mysql_native_password check: token = SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
function checkToken(user: SimUser, scramble: Buffer, token: Buffer): boolean {
  if (!user.passwordHash) return token.length === 0;
  if (token.length !== 20) return false;
  const stage2 = Buffer.from(user.passwordHash, 'hex');
  const mask = sha1(Buffer.concat([scramble, stage2]));
  const stage1 = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) stage1[i] = token[i]! ^ mask[i]!;
  return sha1(stage1).equals(stage2);
}

/** An ERR packet with a real SQLSTATE (mysql2's writeError always sends `_____`). */
function errorPacket(errno: number, sqlState: string, message: string) {
  const body = Buffer.from(message, 'utf8');
  const buffer = Buffer.alloc(4 + 1 + 2 + 1 + 5 + body.length);
  buffer[4] = 0xff;
  buffer.writeUInt16LE(errno, 5);
  buffer.write(`#${sqlState.padEnd(5, '0').slice(0, 5)}`, 7, 'ascii');
  body.copy(buffer, 13);
  return {
    _name: 'Error',
    buffer,
    length: () => buffer.length,
    writeHeader(seq: number) {
      buffer.writeUIntLE(buffer.length - 4, 0, 3);
      buffer[3] = seq;
    },
  };
}

export interface WireServer {
  port: number;
  close(): Promise<void>;
  /** Drops every client connection now (fault injection). */
  dropConnections(): void;
  /** Refuses new connections until the given real-time epoch ms. */
  refuseUntil(realMs: number): void;
}

export async function listen(engine: Engine, host: string, port: number): Promise<WireServer> {
  const server = (mysql.createServer as unknown as () => unknown)() as { _server: NetServer; on: (e: string, fn: (c: Conn) => void) => void; listen: (p: number, h: string, cb: () => void) => void; close: (cb?: () => void) => void };
  const sockets = new Set<Socket>();
  let refuseUntilReal = 0;
  let nextConnectionId = 1;

  server.on('connection', (conn: Conn) => {
    sockets.add(conn.stream);
    // Replies are many small packets: without this, Nagle + delayed ACK stall each one ~40 ms.
    conn.stream.setNoDelay(true);
    conn.stream.on('close', () => sockets.delete(conn.stream));
    conn.on('error', () => conn.stream.destroy());
    if (Date.now() < refuseUntilReal) {
      conn.stream.destroy();
      return;
    }
    // mysql2's own login error sends SQLSTATE `_____`; Doris sends the real one, then closes.
    const refuseLogin = (errno: number, sqlState: string, message: string): void => {
      conn.writePacket(errorPacket(errno, sqlState, message));
      conn.close();
    };
    const session: Session = { id: nextConnectionId++, user: undefined as unknown as SimUser, db: undefined, vars: {} };
    conn.serverHandshake({
      protocolVersion: 10,
      serverVersion: SERVER_VERSION,
      connectionId: session.id,
      statusFlags: 2,
      characterSet: 33,
      capabilityFlags: 0xffffff,
      authCallback: (
        params: { user: string; database?: string; authPluginData1: Buffer; authPluginData2: Buffer; authToken: Buffer },
        cb: (err: Error | null, mysqlError?: { code: number; message: string }) => void,
      ) => {
        const user = engine.world.users[params.user];
        const scramble = Buffer.concat([params.authPluginData1, params.authPluginData2]);
        if (!user || !checkToken(user, scramble, params.authToken ?? Buffer.alloc(0))) {
          refuseLogin(1045, '28000', `Access denied for user '${params.user}@${conn.stream.remoteAddress ?? ''}' (using password: ${params.authToken?.length ? 'YES' : 'NO'})`);
          return;
        }
        session.user = user;
        if (params.database) {
          if (!engine.world.databases[params.database]) {
            refuseLogin(1049, '42000', `errCode = 2, detailMessage = Unknown database '${params.database}'`);
            return;
          }
          if (!engine.canSee(user, params.database)) {
            const denied = engine.dbAccessDenied({ ...session, user }, params.database);
            refuseLogin(denied.errno, denied.sqlState, denied.message);
            return;
          }
          session.db = params.database;
        }
        cb(null);
        conn.sequenceId = 0;
      },
    });

    const sink = {
      get sequenceId() { return conn.sequenceId; },
      set sequenceId(id: number) { conn.sequenceId = id; },
      write: (chunk: Buffer) => conn.write(chunk),
      writeRow: (row: readonly unknown[]) => conn.writeTextRow(row as unknown[]),
    };
    const reply = async (result: Result): Promise<void> => {
      if (result.kind === 'ok') conn.writeOk({ affectedRows: result.affectedRows ?? 0 });
      else {
        // The packets of a reply are gathered and written in few large writes (a small result
        // is one write, not a writev of two dozen column packets).
        const gathered = gather(conn);
        try {
          conn.writeColumns(
            result.columns.map((name) => ({
              catalog: 'def', schema: '', table: '', orgTable: '', name, orgName: name,
              characterSet: 33, columnLength: 65533, columnType: mysql.Types.VAR_STRING, flags: 0, decimals: 0,
            })),
          );
          if (result.kind === 'rows') writeTextRows(sink, result.rows);
          else {
            // Slice by slice, the socket sending (and the client reading) while the next is made.
            try {
              await writeTextRowSlices(sink, result.rows, async () => {
                gathered.flush();
                await letSocketDrain(conn.stream);
              });
            } catch (e) {
              // An error packet may end a result set in place of the EOF, as Doris's own do.
              if (!conn.stream.destroyed) fail(e);
              return;
            }
          }
          conn.writeEof();
        } finally {
          gathered.end();
        }
      }
      conn.sequenceId = 0;
    };
    const fail = (e: unknown): void => {
      const err = e instanceof DorisError ? e : new DorisError(1105, 'HY000', `errCode = 2, detailMessage = ${(e as Error).message}`);
      const errno = engine.caps.alwaysErrno1105 ? 1105 : err.errno;
      conn.writePacket(errorPacket(errno, err.sqlState, err.message));
      conn.sequenceId = 0;
    };
    const run = (sql: string): void => {
      const started = performance.now();
      const timed = (): void => void (engine.answerMs += performance.now() - started);
      // A statement that changed the world is on disk before its reply (reads do not wait).
      const durable = (): void => {
        if (!READ_ONLY.test(sql)) engine.persistence?.flushIfDirty();
      };
      engine.execute(sql, session, true).then(
        (result) => {
          durable();
          return reply(result);
        },
        (e: unknown) => {
          durable();
          fail(e);
        },
      ).then(timed, timed);
    };
    conn.on('query', run);
    // SET and PREPARE arrive here (mysql2 routes them by first word); SET is a statement for us.
    conn.on('stmt_prepare', (sql: string) => {
      if (/^\s*set\b/i.test(sql)) run(sql);
      else fail(new DorisError(1295, 'HY000', 'This command is not supported in the prepared statement protocol yet'));
    });
    conn.on('stmt_execute', () => fail(new DorisError(1295, 'HY000', 'This command is not supported in the prepared statement protocol yet')));
    conn.on('init_db', (db: string) => {
      if (!engine.world.databases[db]) return fail(new DorisError(1049, '42000', `errCode = 2, detailMessage = Unknown database '${db}'`));
      if (!engine.canSee(session.user, db)) return fail(engine.dbAccessDenied(session, db));
      session.db = db;
      void reply({ kind: 'ok' });
    });
    conn.on('ping', () => void reply({ kind: 'ok' }));
    conn.on('quit', () => conn.stream.end());
    // Commands mysql2 does not dispatch (COM_CHANGE_USER, COM_STATISTICS, ...) would otherwise get
    // no reply at all and hang the client; COM_RESET_CONNECTION clears session variables.
    conn.on('packet', (_packet: unknown, known: boolean, code: number) => {
      // COM_STMT_SEND_LONG_DATA and COM_STMT_CLOSE never get a reply in the protocol.
      if (known || code === 24 || code === 25) return;
      if (code === COM_RESET_CONNECTION) {
        session.vars = {};
        void reply({ kind: 'ok' });
      } else fail(new DorisError(1047, '08S01', `Unsupported command(${COMMAND_NAMES[code] ?? `COM_${code}`})`));
    });
  });

  // A port in use is an error the caller handles (sandbox/ports.ts waits for it), not a crash.
  await new Promise<void>((resolve, reject) => {
    server._server.once('error', reject);
    server.listen(port, host, () => {
      server._server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server._server.address() as AddressInfo).port;
  return {
    port: boundPort,
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    refuseUntil: (realMs) => {
      refuseUntilReal = realMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server._server.close(() => resolve());
      }),
  };
}
