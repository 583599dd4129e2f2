// The seam between doris-migrate and one Doris FE. Everything that talks SQL takes a DorisClient.
import type { Row } from './parse-results.js';

export interface DorisClient {
  /** `host:port` for messages. */
  readonly address: string;
  /** Runs one statement; resolves to rows (empty for DDL). Throws DorisQueryError or MigrateError. */
  query(sql: string): Promise<Row[]>;
  /** Statements sent so far (benchmarks report it). */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/** A statement Doris refused: the errno and Doris's own text without the `errCode = 2` wrapper. */
export class DorisQueryError extends Error {
  constructor(
    readonly errno: number,
    /** Doris's detailMessage. */
    readonly detail: string,
    readonly statementKind: string,
  ) {
    super(detail);
  }
}

/** First words of a statement, for messages that must not echo values (secrets). */
export function statementKind(sql: string): string {
  return sql.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase();
}

export const detailOf = (message: string): string => message.replace(/^errCode = \d+, detailMessage = /, '');
