// The seam between doris-migrate and one Doris FE. Everything that talks SQL takes a DorisClient.
import { ExitCode, MigrateError } from '../errors.js';
import type { Row } from './parse-results.js';

/** Connections a client keeps open to one FE: the most statements it has in flight at once, so the most any reader sends together. */
export const CLIENT_POOL_SIZE = 4;

export interface DorisClient {
  /** `host:port` for messages. */
  readonly address: string;
  /** Runs one statement; resolves to rows (empty for DDL). Throws DorisQueryError or MigrateError. */
  query(sql: string): Promise<Row[]>;
  /**
   * Runs a read and hands each row to `onRow` as it arrives, so a huge result (a catalog's
   * partitions) is never held whole. Retried like `query` only while no row was handed over.
   * Optional: callers fall back to `query` (see `eachRow`).
   */
  each?(sql: string, onRow: (row: Row) => void): Promise<void>;
  /** Statements sent to the FE so far, retries included (benchmarks report it). */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/**
 * A statement Doris refused. `detail` is Doris's own text without the `errCode = 2,
 * detailMessage = ` wrapper, so callers can match on it; the message names the FE and the kind
 * of statement (never the statement itself, which may hold a secret). Code `doris-access-denied`
 * when Doris says a privilege is missing, `doris-refused` otherwise.
 */
export class DorisQueryError extends MigrateError {
  constructor(
    readonly errno: number,
    /** Doris's detailMessage. */
    readonly detail: string,
    readonly statementKind: string,
    address?: string,
  ) {
    super(
      /Access denied/i.test(detail) ? 'doris-access-denied' : 'doris-refused',
      `${address ? `${address}: ` : ''}${statementKind} failed: ${detail}`,
      ExitCode.StepFailed,
    );
  }
}

/**
 * A write was sent and its reply lost: it may or may not have taken effect, so it was not sent
 * again. Code `connection-lost`; the caller reads the cluster to learn the outcome.
 */
export class LostReplyError extends MigrateError {
  constructor(address: string, kind: string, reason: string, cause: unknown) {
    super('connection-lost', `lost the connection to ${address} while running ${kind}: ${reason}; whether it took effect is unknown, so it is not sent again (running again checks the cluster first)`, ExitCode.StepFailed, { cause });
  }
}

/** Streams rows through `client.each` when it has one, else reads them whole with `query`. */
export async function eachRow(client: DorisClient, sql: string, onRow: (row: Row) => void): Promise<void> {
  if (client.each) return client.each(sql, onRow);
  for (const row of await client.query(sql)) onRow(row);
}

/** First words of a statement, for messages that must not echo values (secrets). */
export function statementKind(sql: string): string {
  const words = sql.trim().split(/\s+/);
  return words.slice(0, words[1]?.toUpperCase() === 'BRIEF' ? 3 : 2).join(' ').toUpperCase();
}

/** Doris's text without the `errCode = N, detailMessage = ` wrapper (also when it is doubled). */
export const detailOf = (message: string): string => message.replace(/^(?:(?:detailMessage = )?errCode = \d+, detailMessage = )+/, '');

/** Statements that change nothing, so running one twice is harmless. */
export const isReadOnly = (sql: string): boolean => /^\s*(SELECT|SHOW|DESC|DESCRIBE|EXPLAIN|USE)\b/i.test(sql);
