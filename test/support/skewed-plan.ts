// A skewed workload for scheduling: 30 databases from 1 GiB to 5 TiB, several batches each.
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/schema.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aPartitionedTable, targetFacts } from './catalog-builder.js';

const GiB = 1024 ** 3;

/**
 * `sizes`: each database's bytes (default: `databases` of them spread geometrically from 1 GiB to
 * 5 TiB); `tables`: of 8 partitions each per database (default 4, alike), so at most 8 x `tables`
 * batches; `unlike`: the database's t-th table weighs 1 + t % 5 shares (batches of unlike sizes).
 */
export function skewedPlan(opts: { databases?: number; concurrency?: number; batchBytes?: number; sizes?: number[]; tables?: number; unlike?: boolean } = {}): Plan {
  const n = opts.sizes?.length ?? opts.databases ?? 30;
  const builder = aCatalog();
  for (let i = 0; i < n; i++) {
    // Geometric spread from 1 GiB to 5 TiB.
    const total = opts.sizes?.[i] ?? Math.round(GiB * Math.pow(5 * 1024, i / (n - 1)));
    const tables = opts.tables ?? 4;
    const share = (t: number): number => (opts.unlike ? 1 + (t % 5) : 1);
    const shares = Array.from({ length: tables }, (_, t) => share(t)).reduce((a, b) => a + b, 0);
    builder.withDb(`db${String(i).padStart(2, '0')}`, { with: Array.from({ length: tables }, (_, t) => aPartitionedTable(`t${t}`, 8, Math.max(1, Math.round((total * share(t)) / shares / 8)))) });
  }
  return buildPlan({
    name: 'skewed',
    now: '2026-11-24T00:00:00.000Z',
    source: { catalog: builder.build(), ref: { host: 's', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    target: { facts: targetFacts(), ref: { host: 't', port: 9030, user: 'root', passwordEnv: 'P', tls: false } },
    repository: { name: 'r', settings: settingsFromLocation('s3://bucket1/x', { s3Endpoint: 'http://x' }) },
    options: { labelPrefix: 'sk', concurrency: { source: opts.concurrency ?? 4, target: opts.concurrency ?? 4 }, batchBytes: opts.batchBytes ?? 512 * GiB, jobTimeoutSeconds: 86400, replication: { num: 3 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: {},
  });
}
