// A DorisClient over mysql2's promise pool: timeouts, TLS, and transient failures retried with
// backoff. When it gives up, one line names host:port, the kind of statement and the last error.
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { ExitCode, MigrateError } from '../errors.js';
import { detailOf, DorisQueryError, statementKind, type DorisClient } from './client.js';
import type { Row } from './parse-results.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  user: string;
  /** Read from the environment by the caller; never logged. */
  password: string;
  database?: string;
  tls?: boolean;
  connectTimeoutMs?: number;
  /** Per statement. */
  queryTimeoutMs?: number;
  /** Attempts for transient failures (connection refused or lost, too many connections). */
  attempts?: number;
  /** First backoff; doubles each attempt. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'EPIPE', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT', 'EHOSTUNREACH']);

export function isTransient(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; message?: string; fatal?: boolean };
  return TRANSIENT.has(err.code ?? '') || err.errno === 1040 || /Too many connections|Connection lost|closed state/i.test(err.message ?? '');
}

export function connect(options: ConnectionOptions): DorisClient {
  const address = `${options.host}:${options.port}`;
  const poolOptions: PoolOptions = {
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    connectionLimit: 4,
    maxIdle: 4,
    enableKeepAlive: true,
    multipleStatements: false,
    ...(options.tls ? { ssl: { rejectUnauthorized: true } } : {}),
  };
  const pool: Pool = createPool(poolOptions);
  pool.on('connection', (conn) => conn.on('error', () => undefined));
  const attempts = options.attempts ?? 5;
  const backoff = options.backoffMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let roundTrips = 0;
  return {
    address,
    get roundTrips() {
      return roundTrips;
    },
    async query(sql: string): Promise<Row[]> {
      let last: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        roundTrips++;
        try {
          const [result] = await pool.query({ sql, timeout: options.queryTimeoutMs ?? 60_000 });
          return Array.isArray(result) ? (result as Row[]) : [];
        } catch (e) {
          last = e;
          const err = e as { errno?: number; message?: string; code?: string };
          if (err.errno === 1045) throw new MigrateError('access-denied', `${address}: ${err.message ?? 'access denied'} (check the user and DORIS_*_PASSWORD)`, ExitCode.Refused);
          if (!isTransient(e)) {
            if (typeof err.errno === 'number' && err.errno > 0 && err.code !== 'PROTOCOL_CONNECTION_LOST') throw new DorisQueryError(err.errno, detailOf(err.message ?? ''), statementKind(sql));
            break;
          }
          if (attempt < attempts) await sleep(backoff * 2 ** (attempt - 1));
        }
      }
      const reason = (last as { code?: string; message?: string } | undefined)?.code ?? (last as Error | undefined)?.message ?? 'unknown error';
      throw new MigrateError('connection-failed', `cannot run ${statementKind(sql)} on ${address} after ${attempts} attempts: ${reason}`, ExitCode.StepFailed, { cause: last });
    },
    close: () => pool.end(),
  };
}
