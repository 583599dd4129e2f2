// Reads what `verify` compares from one cluster: the catalog of the migrated databases, then per
// table its rollups (DESC ALL) and row counts, a few tables at a time so a big cluster's FE is
// not flooded. Source and target are read side by side (run.ts).
import type { Catalog } from '../catalog/model.js';
import { readCatalog } from '../catalog/reader.js';
import { eachLimited } from '../each-limited.js';
import type { DorisClient } from '../doris/client.js';
import { num, type Row } from '../doris/parse-results.js';
import { describedIndexes, rollupNames } from '../doris/parse-describe.js';
import { sql } from '../doris/sql.js';
import { countedPartitions, rowKey, type Observed } from './compare.js';
import type { VerifyLevel } from './model.js';
import type { VerifyScope } from './scope.js';

export interface CollectProgress {
  side: 'source' | 'target';
  done: number;
  total: number;
}

export interface CollectOptions {
  level: VerifyLevel;
  /** Tables read at once per cluster. */
  concurrency: number;
  onProgress?: (p: CollectProgress) => void;
}

/** The catalog of the migrated databases as one cluster has them (names on that side). */
export async function readSideCatalog(client: DorisClient, side: 'source' | 'target', scope: VerifyScope): Promise<Catalog> {
  const databases = side === 'source' ? [...scope.databases.keys()] : [...new Set(scope.databases.values())];
  return readCatalog(client, { databases, probeTemporaryPartitions: false });
}

/**
 * Rollups and row counts of every migrated table present on this side. Which partitions are
 * counted follows the source's catalog, so both sides count the same ones.
 */
export async function collectSide(client: DorisClient, side: 'source' | 'target', scope: VerifyScope, opts: CollectOptions, catalog: Catalog, sourceCatalog: Catalog): Promise<Observed> {
  const rows = new Map<string, number>();
  const rollups = new Map<string, string[]>();
  const present = new Set(catalog.databases.flatMap((d) => d.tables.map((t) => rowKey(d.name, t.name))));
  const work = scope.tables
    .map((t) => {
      const source = sourceCatalog.databases.find((d) => d.name === t.sourceDatabase)?.tables.find((x) => x.name === t.name);
      const [db, name] = side === 'source' ? [t.sourceDatabase, t.name] : [t.targetDatabase, t.targetName];
      return { db, name, partitions: countedPartitions(t, source, opts.level) };
    })
    .filter((w) => present.has(rowKey(w.db, w.name)));
  let done = 0;
  await eachLimited(work, opts.concurrency, async (w) => {
    const table = catalog.databases.find((d) => d.name === w.db)!.tables.find((t) => t.name === w.name)!;
    if (table.kind === 'olap') {
      // DESC ALL, not SHOW DATA FROM db.tbl: without a current database 2.1 answers SHOW DATA with its per-database listing.
      rollups.set(rowKey(w.db, w.name), rollupNames(describedIndexes(await client.query(sql.describeAll(w.db, w.name)), w.name)));
    }
    const existing = new Set(table.partitions.map((p) => p.name));
    if (!w.partitions) rows.set(rowKey(w.db, w.name), count(await client.query(sql.countRows(w.db, w.name))));
    else {
      for (const p of w.partitions.filter((x) => existing.has(x))) rows.set(rowKey(w.db, w.name, p), count(await client.query(sql.countRows(w.db, w.name, p))));
    }
    opts.onProgress?.({ side, done: ++done, total: work.length });
  });
  return { catalog, rows, rollups };
}

const count = (result: Row[]): number => {
  const n = num(result[0] ?? {}, 'n');
  if (n === undefined) throw new Error(`SELECT COUNT(*) returned ${JSON.stringify(result[0] ?? null)}, not a number`);
  return n;
};
