// readCatalog: fills the Catalog model from one FE in as few round trips as the version allows
// (doris-facts.md Part A §8). On 2.1.7+/3.0.2+ the count grows with databases, not tables.
import { capabilitiesOf, parseVersionComment } from '../doris/capabilities.js';
import type { DorisClient } from '../doris/client.js';
import { CLIENT_POOL_SIZE, DorisQueryError, eachRow } from '../doris/client.js';
import { eachLimited } from '../each-limited.js';
import { grantsShowAdmin, loadableDatabases, num, parseSize, replicaTotal, requireText, text, type Row } from '../doris/parse-results.js';
import { sql } from '../doris/sql.js';
import { refusedError } from '../errors.js';
import { SYSTEM_DATABASES, type Catalog, type ClusterFacts, type Column, type ColocateGroup, type Database, type DorisVersion, type KeyModel, type Partition, type Table } from './model.js';
import { parseCreateTable, referencedTables } from './parse-create-table.js';

/** Typed progress, rendered by the CLI. */
export type ReadEvent = { kind: 'phase'; phase: string } | { kind: 'progress'; phase: string; done: number; total: number };

export interface ReadOptions {
  /** Only these databases (default: every user database). */
  databases?: string[];
  /**
   * Versions without information_schema.partitions (2.0, 2.1 before 2.1.7, 3.0 before 3.0.2):
   * probe SHOW TEMPORARY PARTITIONS per OLAP table (one query each; default true). Newer
   * versions find the tables with temporary partitions from partition counts and ask only those.
   */
  probeTemporaryPartitions?: boolean;
  onEvent?: (e: ReadEvent) => void;
}

/** Per-table statements in flight at once: one per pooled connection. */
const PER_TABLE_IN_FLIGHT = CLIENT_POOL_SIZE;

const ENGINE_KIND: Record<string, Table['kind']> = { doris: 'olap', olap: 'olap', odbc: 'odbc' };
const MODEL: Record<string, KeyModel> = { DUP: 'DUPLICATE', UNI: 'UNIQUE', AGG: 'AGGREGATE' };

export async function readClusterFacts(client: DorisClient): Promise<ClusterFacts> {
  const [v] = await client.query('SELECT @@version_comment AS v');
  const comment = text(v ?? {}, 'v') ?? '';
  const version = parseVersionComment(comment);
  if (!version) throw refusedError('not-doris', `${client.address} does not look like Apache Doris (version_comment '${comment}')`);
  const grants = await client.query('SHOW GRANTS');
  const isAdmin = grants.some(grantsShowAdmin);
  let aliveBackends = 0;
  if (isAdmin) {
    const backends = await client.query('SHOW BACKENDS');
    aliveBackends = backends.filter((b) => text(b, 'Alive') === 'true' && text(b, 'SystemDecommissioned') !== 'true').length;
  }
  return { version, isAdmin, aliveBackends };
}

/** Databases the user may LOAD (BACKUP/RESTORE need it). */
export async function loadableDatabaseSet(client: DorisClient): Promise<{ all: boolean; databases: Set<string> }> {
  const rows = await client.query('SHOW GRANTS');
  return rows.map(loadableDatabases).reduce((a, b) => ({ all: a.all || b.all, databases: new Set([...a.databases, ...b.databases]) }), { all: false, databases: new Set<string>() });
}

function emptyTable(name: string, engine: string, rows: number, bytes: number): Table {
  return {
    name, engine, kind: ENGINE_KIND[engine.toLowerCase()] ?? 'external', keyColumns: [], columns: [], partitionType: 'UNPARTITIONED', partitionColumns: [],
    partitions: [], tempPartitions: [], properties: {}, rollups: [], rows, dataBytes: bytes,
  };
}

function applyProperties(t: Table, props: Record<string, string>): void {
  const dynamic: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('dynamic_partition.')) dynamic[k.slice('dynamic_partition.'.length)] = v;
    else if (k === 'colocate_with') t.colocateGroup = v;
    else if (k === 'storage_policy') t.storagePolicy = v || undefined;
    // table_properties stores it as `default.replication_allocation`; SHOW CREATE TABLE prints `replication_allocation`.
    else if (k === 'replication_allocation' || k === 'default.replication_allocation') {
      t.replicationAllocation = v;
      t.replicationNum = replicaTotal(v);
    } else t.properties[k] = v;
  }
  if (Object.keys(dynamic).length) t.dynamicPartition = dynamic;
}

export async function readCatalog(client: DorisClient, options: ReadOptions = {}): Promise<Catalog> {
  const emit = options.onEvent ?? (() => undefined);
  emit({ kind: 'phase', phase: 'cluster' });
  const cluster = await readClusterFacts(client);
  const caps = capabilitiesOf(cluster.version);
  const externalCatalogs = (await client.query('SHOW CATALOGS')).filter((r) => text(r, 'Type') !== 'internal').map((r) => ({ name: requireText(r, 'CatalogName'), type: text(r, 'Type') ?? '' }));

  emit({ kind: 'phase', phase: 'databases' });
  const allNames = (await client.query('SHOW DATABASES')).map((r) => requireText(r, 'Database'));
  const systemDatabases = allNames.filter((n) => SYSTEM_DATABASES.includes(n));
  const wanted = allNames.filter((n) => !SYSTEM_DATABASES.includes(n) && (!options.databases || options.databases.includes(n)));
  const loadable = await loadableDatabaseSet(client);
  const dbs = new Map<string, Database>(wanted.map((n) => [n, { name: n, properties: {}, tables: [], views: [], asyncMaterializedViews: [], canLoad: loadable.all || loadable.databases.has(n) }]));
  const scope = options.databases ? wanted : undefined;
  if (wanted.length === 0) return { cluster, databases: [], colocateGroups: [], externalCatalogs, systemDatabases };

  emit({ kind: 'phase', phase: 'tables' });
  const tables = new Map<string, Table>();
  const views: { db: string; name: string }[] = [];
  const mtmvNames = new Set<string>();
  // information_schema results are streamed row by row: at 100,000 tables they hold millions of rows.
  await eachRow(client, sql.infoSchema('tables', ['TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'ENGINE', 'TABLE_ROWS', 'DATA_LENGTH'], scope, SYSTEM_DATABASES), (r) => {
    const db = dbs.get(requireText(r, 'TABLE_SCHEMA'));
    if (!db) return;
    const name = requireText(r, 'TABLE_NAME');
    if (text(r, 'TABLE_TYPE') === 'VIEW') views.push({ db: db.name, name });
    else tables.set(`${db.name}\u0000${name}`, emptyTable(name, text(r, 'ENGINE') ?? '', num(r, 'TABLE_ROWS') ?? 0, num(r, 'DATA_LENGTH') ?? 0));
  });
  let tableOf = rowTable(tables);
  await eachRow(client, sql.infoSchema('columns', ['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'ORDINAL_POSITION', 'COLUMN_TYPE', 'IS_NULLABLE', 'COLUMN_KEY'], scope, SYSTEM_DATABASES), (r) => {
    const t = tableOf(r);
    if (!t) return;
    const column: Column = { name: requireText(r, 'COLUMN_NAME'), type: text(r, 'COLUMN_TYPE') ?? '', nullable: text(r, 'IS_NULLABLE') === 'YES', isKey: (text(r, 'COLUMN_KEY') ?? '') !== '' };
    t.columns[(num(r, 'ORDINAL_POSITION') ?? t.columns.length + 1) - 1] = column;
  });

  if (caps.asyncMv) {
    emit({ kind: 'phase', phase: 'materialized views' });
    for (const db of dbs.values()) {
      for (const r of await client.query(sql.mvInfos(db.name))) {
        const name = requireText(r, 'Name');
        mtmvNames.add(`${db.name}\u0000${name}`);
        tables.delete(`${db.name}\u0000${name}`);
        let createSql: string;
        try {
          createSql = requireText((await client.query(sql.showCreateMaterializedView(db.name, name)))[0] ?? {}, 'Create Materialized View');
        } catch (e) {
          if (!(e instanceof DorisQueryError)) throw e;
          createSql = `CREATE MATERIALIZED VIEW ${name} ${text(r, 'RefreshInfo') ?? ''} AS ${text(r, 'QuerySql') ?? ''}`;
        }
        const query = /\bAS\s+(SELECT[\s\S]*)$/i.exec(createSql)?.[1] ?? text(r, 'QuerySql') ?? '';
        db.asyncMaterializedViews.push({ name, createSql, baseTables: referencedTables(query, db.name) });
      }
    }
  }

  const olap = [...tables.entries()].filter(([, t]) => t.kind === 'olap');
  const dbOf = (key: string) => dbs.get(key.split('\u0000')[0]!)!;
  /** table_options.PARTITION_NUM: the table's partitions without the temporary ones (Doris's getPartitionNum). */
  const partitionNum = new Map<Table, number>();
  if (caps.tableOptions && caps.tableProperties && caps.partitionsInfoSchema) {
    emit({ kind: 'phase', phase: 'table details' });
    // Afresh: the last answer kept may be an async MV taken out of `tables` above.
    tableOf = rowTable(tables);
    await eachRow(client, sql.infoSchema('table_options', ['TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_MODEL', 'TABLE_MODEL_KEY', 'DISTRIBUTE_KEY', 'DISTRIBUTE_TYPE', 'BUCKETS_NUM', 'PARTITION_NUM'], scope, SYSTEM_DATABASES), (r) => {
      const t = tableOf(r);
      if (!t) return;
      const model = MODEL[text(r, 'TABLE_MODEL') ?? ''];
      if (model) t.keyModel = model;
      t.keyColumns = nameList(text(r, 'TABLE_MODEL_KEY'));
      const type = text(r, 'DISTRIBUTE_TYPE') === 'RANDOM' ? 'RANDOM' : 'HASH';
      t.distribution = { type, columns: type === 'HASH' ? nameList(text(r, 'DISTRIBUTE_KEY')) : [], buckets: num(r, 'BUCKETS_NUM') ?? 0 };
      const count = num(r, 'PARTITION_NUM');
      if (count !== undefined) partitionNum.set(t, count);
    });
    const props = new Map<Table, Record<string, string>>();
    await eachRow(client, sql.infoSchema('table_properties', ['TABLE_SCHEMA', 'TABLE_NAME', 'PROPERTY_NAME', 'PROPERTY_VALUE'], scope, SYSTEM_DATABASES), (r) => {
      const t = tableOf(r);
      if (!t) return;
      let p = props.get(t);
      if (!p) props.set(t, (p = {}));
      p[requireText(r, 'PROPERTY_NAME')] = text(r, 'PROPERTY_VALUE') ?? '';
    });
    for (const [t, p] of props) applyProperties(t, p);
    // One table's partitions arrive together, so its partition expression is read once, not per row.
    let last: { table: Table; expression: string | undefined } | undefined;
    await eachRow(client, sql.infoSchema('partitions', ['TABLE_SCHEMA', 'TABLE_NAME', 'PARTITION_NAME', 'PARTITION_METHOD', 'PARTITION_EXPRESSION', 'PARTITION_DESCRIPTION', 'TABLE_ROWS', 'DATA_LENGTH'], scope, SYSTEM_DATABASES), (r) => {
      const t = tableOf(r);
      if (!t) return;
      const method = text(r, 'PARTITION_METHOD') ?? 'UNPARTITIONED';
      t.partitionType = method === 'RANGE' || method === 'LIST' ? method : 'UNPARTITIONED';
      // An unpartitioned table has the string "NULL" (not SQL NULL) as expression and description.
      const expression = t.partitionType === 'UNPARTITIONED' ? undefined : notNullText(text(r, 'PARTITION_EXPRESSION'));
      if (last?.table !== t || last.expression !== expression) t.partitionColumns = nameList(expression);
      last = { table: t, expression };
      t.partitions.push({ name: requireText(r, 'PARTITION_NAME'), range: notNullText(text(r, 'PARTITION_DESCRIPTION')) ?? '', dataBytes: num(r, 'DATA_LENGTH') ?? 0, rows: num(r, 'TABLE_ROWS') ?? 0 });
    });
  } else {
    // Older lines: one SHOW CREATE TABLE and one SHOW PARTITIONS per OLAP table, a few tables at once.
    let done = 0;
    await eachLimited(olap, PER_TABLE_IN_FLIGHT, async ([key, t]) => {
      const db = dbOf(key).name;
      const ddl = requireText((await client.query(sql.showCreateTable(db, t.name)))[0] ?? {}, 'Create Table');
      const facts = parseCreateTable(ddl);
      t.createSql = ddl;
      if (facts.keyModel) t.keyModel = facts.keyModel;
      t.keyColumns = facts.keyColumns;
      t.partitionType = facts.partitionType;
      t.partitionColumns = facts.partitionColumns;
      if (facts.distribution) t.distribution = facts.distribution;
      applyProperties(t, facts.properties);
      t.partitions = (await client.query(sql.showPartitions(db, t.name))).map(partitionFromShow);
      emit({ kind: 'progress', phase: 'table details', done: ++done, total: olap.length });
    });
  }

  // Temporary partitions (BACKUP refuses their tables). information_schema.partitions lists them
  // among the others, unmarked, while table_options.PARTITION_NUM counts only the others: a table
  // with more partition rows than that has some, and only those tables are asked which. Without
  // those views, one statement per table (unless the caller opts out).
  const infoSchemaCounts = caps.tableOptions && caps.tableProperties && caps.partitionsInfoSchema;
  const probe = infoSchemaCounts ? olap.filter(([, t]) => t.partitions.length > (partitionNum.get(t) ?? t.partitions.length)) : (options.probeTemporaryPartitions ?? true) ? olap : [];
  if (probe.length > 0) {
    // A few in flight at once (the client's pool), so the FE's answer time overlaps the trips.
    emit({ kind: 'phase', phase: 'temporary partitions' });
    let done = 0;
    await eachLimited(probe, PER_TABLE_IN_FLIGHT, async ([key, t]) => {
      t.tempPartitions = (await client.query(sql.showPartitions(dbOf(key).name, t.name, true))).map((r) => requireText(r, 'PartitionName'));
      const temp = new Set(t.tempPartitions);
      t.partitions = t.partitions.filter((p) => !temp.has(p.name));
      emit({ kind: 'progress', phase: 'temporary partitions', done: ++done, total: probe.length });
    });
  }

  const colocateGroups: ColocateGroup[] = [];
  if (cluster.isAdmin) {
    emit({ kind: 'phase', phase: 'storage policies and colocation' });
    for (const r of await client.query('SHOW STORAGE POLICY USING')) {
      const t = tables.get(`${requireText(r, 'Database')}\u0000${requireText(r, 'Table')}`);
      if (t) t.storagePolicy ??= requireText(r, 'PolicyName');
    }
    const groups = await client.query("SHOW PROC '/colocation_group'");
    // A group belongs to the database its GroupId names; table names alone repeat across databases.
    const dbNameById = new Map<string, string>();
    if (groups.length) for (const r of await client.query("SHOW PROC '/dbs'")) dbNameById.set(requireText(r, 'DbId'), requireText(r, 'DbName').replace(/^default_cluster:/, ''));
    const idsByDb = new Map<string, Map<string, string>>();
    for (const g of groups) {
      const dbId = requireText(g, 'GroupId').split('.')[0]!;
      const dbName = dbNameById.get(dbId);
      if (dbName === undefined || !dbs.has(dbName)) continue;
      if (!idsByDb.has(dbId)) {
        const ids = new Map<string, string>();
        for (const r of await client.query(sql.showProcDatabase(dbId))) ids.set(requireText(r, 'TableId'), requireText(r, 'TableName'));
        idsByDb.set(dbId, ids);
      }
      const ids = idsByDb.get(dbId)!;
      const members = requireText(g, 'TableIds').split(',').map((s) => ids.get(s.trim())).filter((n): n is string => n !== undefined);
      const name = bareGroupName(requireText(g, 'GroupName'), dbId, dbName);
      colocateGroups.push({ database: dbName, name, buckets: num(g, 'BucketsNum') ?? 0, replicationAllocation: text(g, 'ReplicaAllocation') ?? '', tables: members });
      for (const m of members) {
        const t = tables.get(`${dbName}\u0000${m}`);
        if (t) t.colocateGroup = name;
      }
    }
  }

  emit({ kind: 'phase', phase: 'views' });
  for (const v of views) {
    const row = (await client.query(sql.showCreateTable(v.db, v.name)))[0] ?? {};
    const createSql = text(row, 'Create View') ?? '';
    const query = /\bAS\s+([\s\S]*)$/i.exec(createSql)?.[1] ?? '';
    dbs.get(v.db)!.views.push({ name: v.name, createSql, references: referencedTables(query, v.db) });
  }
  for (const [key, t] of tables) {
    if (!t.storagePolicy) t.storagePolicy = t.partitions.find((p) => p.storagePolicy)?.storagePolicy;
    if (t.kind === 'olap' && t.partitions.length) t.dataBytes = Math.max(t.dataBytes, t.partitions.reduce((s, p) => s + p.dataBytes, 0));
    dbOf(key).tables.push(t);
  }
  return { cluster, databases: [...dbs.values()], colocateGroups, externalCatalogs, systemDatabases };
}

/**
 * The table an information_schema row names (`db\0name` keys). One table's rows arrive together,
 * so the last answer is kept: a million partition rows cost a million string compares, not a
 * million key strings built and hashed.
 */
function rowTable(tables: Map<string, Table>): (r: Row) => Table | undefined {
  let schema: string | undefined;
  let name: string | undefined;
  let table: Table | undefined;
  return (r) => {
    const s = requireText(r, 'TABLE_SCHEMA');
    const n = requireText(r, 'TABLE_NAME');
    if (s !== schema || n !== name) {
      schema = s;
      name = n;
      table = tables.get(`${s}\u0000${n}`);
    }
    return table;
  };
}

/** information_schema's string "NULL" (unpartitioned tables) read as absent. */
const notNullText = (value: string | undefined): string | undefined => (value === 'NULL' ? undefined : value);

/**
 * The name a user writes in `colocate_with`, from SHOW PROC '/colocation_group' GroupName: 2.0
 * prints `<dbId>_<name>`, 2.1 and later `<dbName>.<name>`; global groups (`__global__...`) as they are.
 */
export function bareGroupName(groupName: string, dbId: string, dbName: string): string {
  if (groupName.startsWith('__global__')) return groupName;
  if (groupName.startsWith(`${dbName}.`)) return groupName.slice(dbName.length + 1);
  if (groupName.startsWith(`${dbId}_`)) return groupName.slice(dbId.length + 1);
  return groupName;
}

/** `a,b`, `a, b` or `` `a`, `b` `` → names (information_schema spells lists either way). */
function nameList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^`.*`$/.test(s) ? s.slice(1, -1).replace(/``/g, '`') : s));
}

export function partitionFromShow(r: Row): Partition {
  const p: Partition = { name: requireText(r, 'PartitionName'), range: text(r, 'Range') ?? '', dataBytes: parseSize(text(r, 'DataSize')) ?? 0 };
  const rows = num(r, 'RowCount');
  if (rows !== undefined) p.rows = rows;
  const id = num(r, 'PartitionId');
  if (id !== undefined) p.id = id;
  const version = num(r, 'VisibleVersion');
  if (version !== undefined) p.visibleVersion = version;
  const replicas = num(r, 'ReplicationNum');
  if (replicas !== undefined) p.replicationNum = replicas;
  const policy = text(r, 'RemoteStoragePolicy');
  if (policy) p.storagePolicy = policy;
  return p;
}

export type { DorisVersion };
