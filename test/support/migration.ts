// A sandbox with the demo catalog and a plan written by the real `plan` command, for apply tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { journalPath } from '../../src/run/journal.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { captureIO } from './io.js';
import { startReplyDroppingProxy, type ReplyDroppingProxy } from './reply-dropping-proxy.js';
import { DEMO_SQL } from './simulator.js';

export const MIGRATION_SECRET = 'secret-4f1c9a77-never-print';

export interface Migration {
  dir: string;
  sandbox: Sandbox;
  env: Record<string, string>;
  planFile: string;
  /** With `proxied`: the reply-dropping proxies the plan reaches each cluster through. */
  proxies?: { source: ReplyDroppingProxy; target: ReplyDroppingProxy };
  run(argv: string[]): Promise<{ code: number; out: string; err: string }>;
  dispose(): Promise<void>;
}

export interface MigrationOptions {
  timeScale?: number;
  concurrency?: number;
  databases?: string;
  /** Plan (and so apply) through a reply-dropping proxy in front of each cluster. */
  proxied?: boolean;
  /** More `plan` flags. */
  planFlags?: string[];
}

export async function demoMigration(opts: MigrationOptions = {}): Promise<Migration> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-apply-'));
  const sandbox = await startSandbox({ dataDir: join(dir, 'sandbox'), seedSql: DEMO_SQL, azure: false, timeScale: opts.timeScale ?? 5000 });
  const proxies = opts.proxied
    ? { source: await startReplyDroppingProxy(sandbox.source), target: await startReplyDroppingProxy(sandbox.target) }
    : undefined;
  const port = (side: 'source' | 'target') => (proxies ? proxies[side].port : sandbox[side].port);
  // s3rver checks no signature: a distinctive secret lets tests prove it never leaks.
  const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: MIGRATION_SECRET, DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' };
  const run = async (argv: string[]) => {
    const io = captureIO({ cwd: dir, env });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  const planned = await run([
    'plan', '--source', `mysql://root@127.0.0.1:${port('source')}`, '--target', `mysql://root@127.0.0.1:${port('target')}`,
    '--repository', 's3://doris-migrate/apply', '--s3-endpoint', sandbox.s3.endpoint, '--replication-num', '1', '--name', 'mig',
    '--concurrency', String(opts.concurrency ?? 2), '--no-interactive', ...(opts.databases ? ['--databases', opts.databases] : []), ...(opts.planFlags ?? []),
  ]);
  if (planned.code !== 0) throw new Error(`plan failed: ${planned.err}`);
  return {
    dir, sandbox, env, planFile: join(dir, 'plans', 'mig.yaml'), run, ...(proxies ? { proxies } : {}),
    async dispose() {
      if (proxies) await Promise.all([proxies.source.close(), proxies.target.close()]);
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The plan's local state file (its journal beside it). */
export const localStatePath = (m: Migration): string => join(m.dir, 'plans', 'mig.state.json');

/** Deletes the local state, snapshot and journal, as on another machine or a fresh checkout; the snapshot must be there. */
export function forgetLocalState(m: Migration): void {
  rmSync(localStatePath(m));
  rmSync(journalPath(localStatePath(m)), { force: true });
}

/** What a command says on stderr when it read the state from the run's record: the local state was older, or gone. */
export const READ_FROM_RECORD = /^state: read from the run's record in s3:\/\/doris-migrate\/apply \(newer than .*mig\.state\.json, or that file is gone\)$/m;

/** Every migrated table's rows, source vs target, as comparable text. */
export function tableContents(m: Migration, side: 'source' | 'target'): Record<string, string> {
  const sim = side === 'source' ? m.sandbox.source : m.sandbox.target;
  const out: Record<string, string> = {};
  for (const [db, table] of [['sales', 'orders'], ['sales', 'customers'], ['sales', 'order_items'], ['analytics', 'events'], ['analytics', 'region_sales'], ['ops', 'heartbeat'], ['crm-eu', 'Kunden-Ä']] as const) {
    const world = sim.engine.world.databases[db]?.tables[table];
    out[`${db}.${table}`] = world ? JSON.stringify(world.partitions.map((p) => [p.name, [...p.rows].map((r) => JSON.stringify(r)).sort()])) : 'missing';
  }
  return out;
}
