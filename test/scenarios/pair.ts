// The one thing a scenario knows about the clusters it runs on: a source and a target Doris
// reached over the MySQL protocol, a repository both can use, and a way to put a catalog on the
// source. The simulator suite (test/e2e) and the real-Doris suite (test/real) each build one.
import mysql from 'mysql2/promise';
import { quoteIdent } from '../../src/doris/quote.js';
import { splitStatements } from '../../src/sandbox/sql/lexer.js';

export type Side = 'source' | 'target';
export type Row = Record<string, unknown>;

export interface ClusterEndpoint {
  host: string;
  port: number;
  /** A user with ADMIN (repositories, SHOW SNAPSHOT) and LOAD on every database (BACKUP, RESTORE). */
  user: string;
  password: string;
}

export interface RepositoryAccess {
  /** `s3://bucket/prefix`; each scenario run gets a directory of its own under it. */
  base: string;
  /** `plan` flags that reach it (endpoint, provider, path style), besides `--repository`. */
  flags: string[];
  /** The keys, as the environment variables `plan` and `apply` read. */
  env: Record<string, string>;
}

export interface ClusterPair {
  /** `simulator` or `real`: which Doris answers. Scenarios behave the same on both. */
  kind: 'simulator' | 'real';
  /** One line for test titles and skip notes, e.g. `simulated Doris 2.1 -> 3.0`. */
  description: string;
  source: ClusterEndpoint;
  target: ClusterEndpoint;
  repository: RepositoryAccess;
  /** Replicas the target can hold (one backend per cluster in docker-compose.test.yml). */
  replicationNum: number;
  /** Runs a script of statements on one side, in one session (so `USE db` carries). */
  exec(side: Side, sql: string): Promise<void>;
  /** Rows of one statement, by column name. */
  query(side: Side, sql: string): Promise<Row[]>;
  /** Puts a catalog on the source: `exec('source', sql)` after making it acceptable to this Doris. */
  seed(sql: string): Promise<void>;
  /** Forgets what an earlier scenario left behind: these databases are dropped on both sides. */
  reset(databases: string[]): Promise<void>;
  close(): Promise<void>;
}

/** exec, query and reset over mysql2, shared by both pairs. */
export function sqlSides(endpoints: Record<Side, ClusterEndpoint>): Pick<ClusterPair, 'exec' | 'query' | 'reset'> {
  const session = async <T>(side: Side, fn: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const e = endpoints[side];
    const c = await mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password });
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const exec = (side: Side, sql: string) =>
    session(side, async (c) => {
      for (const statement of splitStatements(sql)) await c.query(statement);
    });
  return {
    exec,
    query: (side, sql) => session(side, async (c) => (await c.query(sql))[0] as Row[]),
    async reset(databases) {
      const drops = databases.map((d) => `DROP DATABASE IF EXISTS ${quoteIdent(d)} FORCE`).join(';\n');
      if (!drops) return;
      await exec('source', drops);
      await exec('target', drops);
    },
  };
}
