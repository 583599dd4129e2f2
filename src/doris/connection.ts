// A DorisClient over mysql2's promise pool: timeouts, TLS, and transient failures retried with
// backoff. When it gives up, one line names host:port, the kind of statement and the last error.
//
// A statement that never reached the FE (no connection, or a pooled connection already closed)
// is always retried, and so is a read whose reply was lost. A write whose reply was lost may have
// taken effect, so it is never sent again here: it fails with code `connection-lost` (a
// LostReplyError), and the caller resolves it by reading the cluster (the job with our label, the
// repository at our location, the object with its properties) before it sends anything again.
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Connection as CoreConnection } from 'mysql2';
import { createPool, type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise';
import { ExitCode, MigrateError } from '../errors.js';
import { CLIENT_POOL_SIZE, detailOf, DorisQueryError, isReadOnly, LostReplyError, statementKind, type DorisClient } from './client.js';
import { connectAdvice } from './connect-failure.js';
import { sql } from './sql.js';
import type { Row } from './parse-results.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  user: string;
  /** Read from the environment by the caller; never logged. */
  password: string;
  /** The environment variable the password is read from, named when the FE refuses it. */
  passwordEnv?: string;
  /** Default database of every connection (some SHOW forms need a current database). */
  database?: string;
  /** TLS with certificate checks; `ca` (PEM) for a private authority. */
  tls?: boolean | { ca?: string };
  connectTimeoutMs?: number;
  /** Per statement. */
  queryTimeoutMs?: number;
  /** Attempts for transient failures (connection refused or lost, too many connections). */
  attempts?: number;
  /** First backoff; doubles each attempt. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Session variables set on each new connection before its first statement (e.g. Unicode names). */
  sessionVariables?: Record<string, string>;
}

type DriverError = { code?: string; errno?: number; message?: string; fatal?: boolean };

const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Failures worth another attempt: the FE was unreachable, busy, restarting, or the link dropped. */
export function isTransient(e: unknown): boolean {
  const err = e as DriverError;
  return TRANSIENT.has(err.code ?? '') || err.errno === 1040 || /Too many connections|Connection lost|closed state/i.test(err.message ?? '');
}

/** mysql2 refuses to send on a connection it already knows is closed: the FE never saw the statement. */
const neverSent = (e: unknown): boolean => /closed state/i.test((e as DriverError).message ?? '');

const reasonOf = (e: unknown): string => {
  const err = e as DriverError | undefined;
  return err?.code && err.code !== 'UNKNOWN_CODE_PLEASE_REPORT' ? err.code : (err?.message ?? 'unknown error');
};

/**
 * Doris labels text columns utf8_general_ci (charset 33), which mysql2 decodes as CESU-8 through
 * iconv-lite one character at a time: slow, and each long value stays a chain of one-character
 * strings (~1.5 KB for a 70-character partition range; gigabytes at 100,000 tables). The bytes are
 * UTF-8, so they are decoded as UTF-8 natively.
 */
const TEXT_TYPES = new Set(['VAR_STRING', 'STRING', 'VARCHAR']);
const utf8Strings: NonNullable<PoolOptions['typeCast']> = (field, next) => (TEXT_TYPES.has(field.type) ? field.string('utf8') : next());

export function connect(options: ConnectionOptions): DorisClient {
  const address = `${options.host}:${options.port}`;
  const tls = options.tls === true ? {} : options.tls || undefined;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  // Sockets whose TCP connection was accepted. A connect timeout on one of them means the port
  // answers but speaks no MySQL (the FE's HTTP port, another service): no retry changes that, so
  // it fails within the one timeout instead of after every attempt and backoff.
  const reached = new WeakSet<Socket>();
  let lastSocket: Socket | undefined;
  const openSocket = (): Socket => {
    const socket = tcpConnect(options.port, options.host);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      reached.add(socket);
      socket.setKeepAlive(true);
    });
    lastSocket = socket;
    return socket;
  };
  const notMysql = (e: unknown): boolean => (e as DriverError).code === 'ETIMEDOUT' && lastSocket !== undefined && reached.has(lastSocket);
  const poolOptions: PoolOptions = {
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectTimeout: connectTimeoutMs,
    connectionLimit: CLIENT_POOL_SIZE,
    maxIdle: CLIENT_POOL_SIZE,
    stream: openSocket,
    multipleStatements: false,
    typeCast: utf8Strings,
    ...(tls ? { ssl: { rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}) } } : {}),
  };
  const pool: Pool = createPool(poolOptions);
  pool.on('connection', (conn) => conn.on('error', () => undefined));
  const attempts = Math.max(1, options.attempts ?? 5);
  const backoff = options.backoffMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let roundTrips = 0;
  // Connections that carry the session variables already (a pooled connection keeps them).
  const prepared = new WeakSet<object>();
  const sessionSql = Object.entries(options.sessionVariables ?? {}).map(([k, v]) => sql.setSessionVariable(k, v));

  const accessDenied = (e: DriverError) =>
    new MigrateError('access-denied', `${address}: ${e.message ?? 'access denied'} (check the user and ${options.passwordEnv ?? 'the password'})`, ExitCode.Refused);

  return {
    address,
    get roundTrips() {
      return roundTrips;
    },
    query: (sql: string): Promise<Row[]> =>
      withRetries(sql, async (conn) => {
        const [result] = await conn.query({ sql, timeout: options.queryTimeoutMs ?? 60_000 });
        return Array.isArray(result) ? (result as Row[]) : [];
      }),
    async each(sql: string, onRow: (row: Row) => void): Promise<void> {
      let delivered = false;
      // An error of the caller's own (a row it cannot read) is no connection trouble: never retried.
      let callerError: Error | undefined;
      await withRetries(
        sql,
        (conn) =>
          new Promise<void>((resolve, reject) => {
            // The callback connection under the promise wrapper emits rows as they are parsed.
            (conn.connection as unknown as CoreConnection)
              .query({ sql, timeout: options.queryTimeoutMs ?? 60_000 })
              .on('result', (row: unknown) => {
                delivered = true;
                if (callerError !== undefined) return;
                try {
                  onRow(row as Row);
                } catch (e) {
                  callerError = e instanceof Error ? e : new Error(String(e));
                }
              })
              .on('error', reject)
              .on('end', () => resolve());
          }),
        () => delivered,
      );
      if (callerError !== undefined) throw callerError;
    },
    close: () => pool.end(),
  };

  /** Runs `run` on a pooled connection with the retry rules above; `handedOver` forbids a retry once rows reached the caller. */
  async function withRetries<T>(sql: string, run: (conn: PoolConnection) => Promise<T>, handedOver: () => boolean = () => false): Promise<T> {
    const kind = statementKind(sql);
    let last: unknown;
    /** The connect-level failure code (connect-failure.ts) of the last attempt, if it was one. */
    let unreachable: string | undefined;
    let tried = 0;
    while (tried < attempts) {
      if (tried > 0) await sleep(backoff * 2 ** (tried - 1));
      tried++;
      let conn: PoolConnection;
      try {
        conn = await pool.getConnection();
      } catch (e) {
        last = e;
        if ((e as DriverError).errno === 1045) throw accessDenied(e as DriverError);
        unreachable = notMysql(e) ? 'NOT_MYSQL' : (e as DriverError).code;
        if (isTransient(e) && unreachable !== 'NOT_MYSQL') continue;
        break;
      }
      unreachable = undefined;
      if (sessionSql.length && !prepared.has(conn.connection)) {
        // Nothing of the statement was sent yet: any failure here may be retried like a connect failure.
        try {
          for (const set of sessionSql) await conn.query(set);
          prepared.add(conn.connection);
        } catch (e) {
          last = e;
          conn.destroy();
          if (isTransient(e)) continue;
          const err = e as DriverError;
          throw new DorisQueryError(err.errno ?? 0, detailOf(err.message ?? ''), 'SET', address);
        }
      }
      try {
        roundTrips++;
        const result = await run(conn);
        conn.release();
        return result;
      } catch (e) {
        last = e;
        const err = e as DriverError;
        // A connection that failed mid-statement is not handed out again.
        if (err.fatal || isTransient(e)) conn.destroy();
        else conn.release();
        if (err.errno === 1045) throw accessDenied(err);
        if (handedOver()) throw new MigrateError('connection-lost', `lost the connection to ${address} in the middle of a ${kind} result: ${reasonOf(e)}; run again`, ExitCode.StepFailed, { cause: e });
        if (!isTransient(e)) {
          if (typeof err.errno === 'number' && err.errno > 0) throw new DorisQueryError(err.errno, detailOf(err.message ?? ''), kind, address);
          break;
        }
        if (!isReadOnly(sql) && !neverSent(e)) throw new LostReplyError(address, kind, reasonOf(e), e);
      }
    }
    const advice = connectAdvice(unreachable, options.host, options.port, connectTimeoutMs);
    const reason = unreachable === 'NOT_MYSQL' ? 'no MySQL handshake' : reasonOf(last);
    const attemptsText = `${tried} attempt${tried === 1 ? '' : 's'}`;
    throw new MigrateError(
      'connection-failed',
      advice ? `cannot reach the FE at ${address} to run ${kind} (${reason}, ${attemptsText}): ${advice}` : `cannot run ${kind} on ${address} after ${attemptsText}: ${reason}`,
      ExitCode.StepFailed,
      { cause: last },
    );
  }
}
