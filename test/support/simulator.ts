// Test helpers: a simulator in a temp dir, and real mysql2 clients against it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sandbox/index.js';

export const DEMO_SQL = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'catalogs', 'demo.sql'), 'utf8');

export interface TestSim extends Simulator {
  dataDir: string;
  connect(user?: string, password?: string, database?: string): Promise<mysql.Connection>;
  /** Query as root on a fresh connection; returns rows as objects. */
  query(sql: string): Promise<Record<string, string | null>[]>;
  /** Column names, in order, of a result set. */
  columns(sql: string): Promise<string[]>;
  /** Stops the simulator and removes its data directory. */
  dispose(): Promise<void>;
}

export async function testSimulator(opts: Partial<SimulatorOptions> = {}): Promise<TestSim> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'dm-sim-'));
  const sim = await startSimulator({ ...opts, dataDir });
  const connect = (user = 'root', password = sim.password, database?: string) =>
    mysql.createConnection({ host: sim.host, port: sim.port, user, password, database });
  const run = async <T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const c = await connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return Object.assign(sim, {
    dataDir,
    connect,
    query: (sql: string) => run(async (c) => (await c.query(sql))[0] as Record<string, string | null>[]),
    columns: (sql: string) => run(async (c) => ((await c.query(sql))[1]).map((f) => f.name)),
    async dispose() {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** The error a statement fails with (errno, sqlState, message), or a test failure when it succeeds. */
export async function failure(c: mysql.Connection, sql: string): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    await c.query(sql);
  } catch (e) {
    const err = e as { errno: number; sqlState: string; message: string };
    return { errno: err.errno, sqlState: err.sqlState, message: err.message };
  }
  throw new Error(`expected failure: ${sql}`);
}
