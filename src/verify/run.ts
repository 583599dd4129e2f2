// `verify` end to end: collect both clusters at once (the target counting the partitions the
// source lists), compare, and stamp the result.
import type { DorisClient } from '../doris/client.js';
import type { Plan } from '../plan/schema.js';
import { collectSide, readSideCatalog, type CollectProgress } from './collect.js';
import { compareMigration, uncheckedAspects } from './compare.js';
import type { Verification, VerifyLevel } from './model.js';
import { verifyScope } from './scope.js';

export interface VerifyDeps {
  source: DorisClient;
  target: DorisClient;
  now: () => Date;
  /** Tables read at once per cluster (default 4). */
  concurrency?: number;
  onProgress?: (p: CollectProgress) => void;
}

export async function runVerification(plan: Plan, level: VerifyLevel, deps: VerifyDeps): Promise<Verification> {
  const scope = verifyScope(plan);
  const opts = { level, concurrency: deps.concurrency ?? 4, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) };
  // The two clusters are independent: read them at the same time, each with its own limit.
  const [sourceCatalog, targetCatalog] = await Promise.all([readSideCatalog(deps.source, 'source', scope), readSideCatalog(deps.target, 'target', scope)]);
  const [source, target] = await Promise.all([
    collectSide(deps.source, 'source', scope, opts, sourceCatalog, sourceCatalog),
    collectSide(deps.target, 'target', scope, opts, targetCatalog, sourceCatalog),
  ]);
  const differences = compareMigration(plan, scope, source, target, level);
  const views = scope.tables.filter((t) => source.catalog.databases.find((d) => d.name === t.sourceDatabase)?.views.some((v) => v.name === t.name)).length;
  // Each table is counted whole or by partition, never both: the counts add up to the rows compared.
  const rows = [...source.rows.values()].reduce((a, b) => a + b, 0);
  return { level, checkedAt: deps.now().toISOString(), databases: scope.databases.size, tables: scope.tables.length - views, views, rows, differences, notChecked: uncheckedAspects(scope, source, target) };
}
