// Facts about the target that shape a plan: version, privileges, backends, and which tables
// already exist under the names we would restore to (and whether their schema differs).
import { CLIENT_POOL_SIZE, type DorisClient } from '../doris/client.js';
import { requireText, text } from '../doris/parse-results.js';
import { BASE_INDEX, describedIndexes, rollupNames } from '../doris/parse-describe.js';
import { sql } from '../doris/sql.js';
import { mapLimited } from '../each-limited.js';
import { SYSTEM_DATABASES, type Catalog, type ExistingTable, type Table, type TargetFacts } from './model.js';
import { readCatalog } from './reader.js';
import { probeRestoreProperties } from '../doris/probe-restore.js';
import type { RestoreProperty } from '../doris/capabilities.js';

/** The RESTORE properties whose support decides how a plan restores (conflicts, colocation). */
const DECISIVE_PROPERTIES: readonly RestoreProperty[] = ['atomic_restore', 'force_replace', 'reserve_colocate', 'clean_tables', 'clean_partitions'];

/**
 * Why two tables would fail Doris's "same schema" check on RESTORE, or undefined when they match:
 * columns (names, types, nullability, order), key model and key columns, partitioning, and
 * distribution. Facts one side did not report (e.g. buckets) are not compared.
 */
export function schemaDifference(source: Table, target: Table): string | undefined {
  const cols = (t: Table) => t.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(', ');
  if (cols(source) !== cols(target)) return `columns differ: source (${cols(source)}), target (${cols(target)})`;
  if (source.keyModel && target.keyModel && source.keyModel !== target.keyModel) return `key model differs: ${source.keyModel} vs ${target.keyModel}`;
  const list = (xs: string[]) => xs.join(', ');
  if (source.keyColumns.length && target.keyColumns.length && list(source.keyColumns) !== list(target.keyColumns)) return `key columns differ: (${list(source.keyColumns)}) vs (${list(target.keyColumns)})`;
  if (source.partitionType !== target.partitionType) return `partitioning differs: ${source.partitionType} vs ${target.partitionType}`;
  if (list(source.partitionColumns) !== list(target.partitionColumns)) return `partition columns differ: (${list(source.partitionColumns)}) vs (${list(target.partitionColumns)})`;
  const s = source.distribution;
  const t = target.distribution;
  if (s && t) {
    if (s.type !== t.type) return `distribution differs: ${s.type} vs ${t.type}`;
    if (list(s.columns) !== list(t.columns)) return `distribution columns differ: (${list(s.columns)}) vs (${list(t.columns)})`;
    // BUCKETS AUTO reads as AUTO from DDL but as a count from information_schema: not comparable.
    if (s.buckets !== 'AUTO' && t.buckets !== 'AUTO' && s.buckets !== t.buckets) return `bucket count differs: ${s.buckets} vs ${t.buckets}`;
  }
  return undefined;
}

/**
 * Each index of a table (the base index under `(base)`, then every rollup / sync MV) with its
 * columns as `DESC ALL` prints them: RESTORE's signature covers them all (OlapTable#getSignature).
 */
export async function readIndexes(client: DorisClient, database: string, table: string): Promise<Map<string, string>> {
  const indexes = describedIndexes(await client.query(sql.describeAll(database, table)), table);
  return new Map([...indexes].map(([name, columns]) => [name, columns.join(', ')]));
}

/** How two tables' indexes differ (a rollup only one side has, or different columns), or undefined. */
export function indexDifference(source: Map<string, string>, target: Map<string, string>): string | undefined {
  const [s, t] = [rollupNames(source), rollupNames(target)];
  if (s.join(',') !== t.join(',')) return `rollups differ: source (${s.join(', ') || 'none'}), target (${t.join(', ') || 'none'})`;
  for (const name of [BASE_INDEX, ...s]) {
    if (source.get(name) !== target.get(name)) return `${name === BASE_INDEX ? 'base index' : `rollup ${name}`} columns differ: source (${source.get(name) ?? ''}), target (${target.get(name) ?? ''})`;
  }
  return undefined;
}

/**
 * The parts of Doris's signature the catalog does not hold, read for one existing table: INDEX
 * definitions and bloom-filter settings (SHOW CREATE TABLE) and each partition's bucket count
 * (SHOW PARTITIONS); only partitions both sides have are compared, as Doris does.
 */
export interface SignatureExtras {
  indexes: string[];
  bloomFilter: string;
  buckets: Map<string, string>;
}

export async function readSignatureExtras(client: DorisClient, database: string, table: string): Promise<SignatureExtras> {
  const ddl = text((await client.query(sql.showCreateTable(database, table)))[0] ?? {}, 'Create Table') ?? '';
  const indexes = [...ddl.matchAll(/^\s*INDEX\s+(.*?)(?:\s+COMMENT\s+'.*')?,?$/gm)].map((m) => m[1]!.replace(/\s+/g, ' ')).sort();
  const prop = (k: string) => new RegExp(`"${k}" = "([^"]*)"`).exec(ddl)?.[1];
  const bf = prop('bloom_filter_columns');
  const bloomFilter = bf ? `${bf.split(',').map((c) => c.trim()).sort().join(', ')} fpp ${prop('bloom_filter_fpp') ?? '0.05'}` : '';
  const buckets = new Map((await client.query(sql.showPartitions(database, table))).map((r) => [text(r, 'PartitionName') ?? '', text(r, 'Buckets') ?? '']));
  return { indexes, bloomFilter, buckets };
}

export function extrasDifference(source: SignatureExtras, target: SignatureExtras): string | undefined {
  if (source.indexes.join('; ') !== target.indexes.join('; ')) return `indexes differ: source (${source.indexes.join('; ') || 'none'}), target (${target.indexes.join('; ') || 'none'})`;
  if (source.bloomFilter !== target.bloomFilter) return `bloom filter differs: source (${source.bloomFilter || 'none'}), target (${target.bloomFilter || 'none'})`;
  for (const [name, n] of source.buckets) {
    const other = target.buckets.get(name);
    if (other !== undefined && other !== n) return `partition ${name} has ${n} buckets on the source, ${other} on the target`;
  }
  return undefined;
}

/** How the parts of the signature the catalog does not hold differ (indexes first, then the extras), or undefined. */
async function signatureDifference(source: DorisClient, target: DorisClient, { srcName, dstName, name }: SignatureRead): Promise<string | undefined> {
  return indexDifference(await readIndexes(source, srcName, name), await readIndexes(target, dstName, name))
    ?? extrasDifference(await readSignatureExtras(source, srcName, name), await readSignatureExtras(target, dstName, name));
}

/** Bloom-filter columns and fpp (part of the signature), as table properties name them. */
function bloomFilterDifference(source: Table, target: Table): string | undefined {
  const bf = (t: Table) => `${(t.properties.bloom_filter_columns ?? '').split(',').map((c) => c.trim()).filter(Boolean).sort().join(', ')}${t.properties.bloom_filter_columns ? ` fpp ${t.properties.bloom_filter_fpp ?? '0.05'}` : ''}`;
  return bf(source) !== bf(target) ? `bloom filter differs: source (${bf(source) || 'none'}), target (${bf(target) || 'none'})` : undefined;
}

/** A table of this name on both sides whose catalog facts agree: the rest of its signature is read. */
interface SignatureRead {
  srcName: string;
  dstName: string;
  name: string;
}

/** Tables whose whole signature is read at once (each reads its statements one after another, on one client at a time). */
const SIGNATURES_IN_FLIGHT = CLIENT_POOL_SIZE;

/**
 * Reads the target databases named by `mapping` (source db -> target db) and compares every
 * source table with a same-named target table: the catalog's facts, then, for those that agree,
 * every index (DESC ALL on both sides) — the whole signature Doris's RESTORE compares.
 */
export async function readTargetFacts(target: DorisClient, source: Catalog, mapping: Record<string, string>, sourceClient?: DorisClient): Promise<TargetFacts> {
  const targetNames = [...new Set(Object.values(mapping))];
  const catalog = await readCatalog(target, { databases: targetNames, probeTemporaryPartitions: false });
  // Every clash in plan order; those whose catalog facts agree have the rest of their signature
  // read after (six round trips a table), a few tables at a time.
  const clashes: { found: ExistingTable; read?: SignatureRead }[] = [];
  for (const [srcName, dstName] of Object.entries(mapping)) {
    const srcDb = source.databases.find((d) => d.name === srcName);
    const dstDb = catalog.databases.find((d) => d.name === dstName);
    if (!srcDb || !dstDb) continue;
    const dstTables = new Map(dstDb.tables.map((x) => [x.name, x]));
    const dstViews = new Set(dstDb.views.map((v) => v.name));
    const dstMvs = new Set(dstDb.asyncMaterializedViews.map((m) => m.name));
    for (const t of srcDb.tables) {
      const existing = dstTables.get(t.name);
      if (existing) {
        const difference = schemaDifference(t, existing) ?? bloomFilterDifference(t, existing);
        const readMore = !difference && sourceClient && t.kind === 'olap' && existing.kind === 'olap';
        clashes.push({ found: { database: dstName, name: t.name, ...(difference ? { difference } : {}) }, ...(readMore ? { read: { srcName, dstName, name: t.name } } : {}) });
      } else if (dstViews.has(t.name) || dstMvs.has(t.name)) {
        clashes.push({ found: { database: dstName, name: t.name, difference: 'a view or materialized view has this name on the target' } });
      }
    }
    for (const v of srcDb.views) if (dstViews.has(v.name) || dstTables.has(v.name)) clashes.push({ found: { database: dstName, name: v.name } });
  }
  const existingTables = await mapLimited(clashes, SIGNATURES_IN_FLIGHT, async (c) => {
    const difference = c.read ? await signatureDifference(sourceClient!, target, c.read) : undefined;
    return difference ? { ...c.found, difference } : c.found;
  });
  // A probe needs a database that exists; with none to ask, the version table decides.
  const probeDb = catalog.cluster.version.cloud ? undefined : catalog.databases[0]?.name ?? (await someDatabase(target));
  const restoreProperties = probeDb ? await probeRestoreProperties(target, probeDb, DECISIVE_PROPERTIES) : undefined;
  const takenNames = Object.fromEntries(catalog.databases.map((d) => [d.name, [...d.tables, ...d.views, ...d.asyncMaterializedViews].map((o) => o.name)]));
  return { cluster: catalog.cluster, existingDatabases: catalog.databases.map((d) => d.name), existingTables, takenNames, ...(restoreProperties ? { restoreProperties } : {}) };
}

/** Any user database on the target, or undefined on an empty cluster. */
async function someDatabase(target: DorisClient): Promise<string | undefined> {
  const names = (await target.query('SHOW DATABASES')).map((r) => requireText(r, 'Database'));
  return names.find((n) => !SYSTEM_DATABASES.includes(n));
}
