// Hand-built catalogs for pure planner tests: aCatalog().withDb('sales', { tables: 3 }).build()
import type { Catalog, Database, Table, TargetFacts } from '../../src/catalog/model.js';
import { parseVersionComment } from '../../src/doris/capabilities.js';

export const version = (v: string, cloud = false) => ({ ...parseVersionComment(`Doris version doris-${v}-rc01-x${cloud ? ' (Cloud Mode)' : ''}`)! });

export function aTable(name: string, over: Partial<Table> = {}): Table {
  return {
    name, kind: 'olap', engine: 'Doris', keyModel: 'DUPLICATE', keyColumns: ['id'], columns: [{ name: 'id', type: 'int', nullable: false, isKey: true }],
    partitionType: 'UNPARTITIONED', partitionColumns: [], distribution: { type: 'HASH', columns: ['id'], buckets: 4 },
    partitions: [{ name, range: '', dataBytes: over.dataBytes ?? 1000 }], tempPartitions: [], properties: {}, rollups: [], rows: 10, dataBytes: 1000, ...over,
  };
}

export function aPartitionedTable(name: string, partitions: number, bytesEach: number): Table {
  return aTable(name, {
    partitionType: 'RANGE', partitionColumns: ['id'],
    partitions: Array.from({ length: partitions }, (_, i) => ({ name: `p${i}`, range: `[${i}, ${i + 1})`, dataBytes: bytesEach })),
    dataBytes: partitions * bytesEach,
  });
}

export class CatalogBuilder {
  private readonly catalog: Catalog;
  constructor(v = '2.1.7') {
    this.catalog = { cluster: { version: version(v), isAdmin: true, aliveBackends: 3 }, databases: [], colocateGroups: [], externalCatalogs: [], systemDatabases: ['information_schema', 'mysql', '__internal_schema'] };
  }
  withDb(name: string, opts: { tables?: number; bytesEach?: number; with?: Table[]; db?: Partial<Database> } = {}): this {
    const tables = Array.from({ length: opts.tables ?? 0 }, (_, i) => aTable(`t${String(i).padStart(3, '0')}`, { dataBytes: opts.bytesEach ?? 1000 }));
    this.catalog.databases.push({ name, properties: {}, tables: [...tables, ...(opts.with ?? [])], views: [], asyncMaterializedViews: [], canLoad: true, ...opts.db });
    return this;
  }
  with(fn: (c: Catalog) => void): this {
    fn(this.catalog);
    return this;
  }
  build(): Catalog {
    return structuredClone(this.catalog);
  }
}

export const aCatalog = (v?: string): CatalogBuilder => new CatalogBuilder(v);

export const targetFacts = (v = '3.0.3', over: Partial<TargetFacts> = {}): TargetFacts => ({
  cluster: { version: version(v), isAdmin: true, aliveBackends: 3 }, existingDatabases: [], existingTables: [], ...over,
});
