// CREATE VIEW; CREATE MATERIALIZED VIEW (async MTMV on 2.1+, or a synchronous rollup on one table);
// DROP TABLE / VIEW / MATERIALIZED VIEW.
import { ok, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { dorisError, unknownTable } from '../errors.js';
import type { Cursor } from '../sql/cursor.js';
import { allocId, type SimColumn, type SimTable } from '../store.js';
import { baseTable } from './create-table.js';
import { DEFAULT_ALLOCATION, resolveAllocation } from './table-build.js';
import { referencedTables } from './mv-references.js';
import { checkColumnName, checkTableName } from '../name-format.js';

function target(c: Cursor, ctx: Ctx) {
  const parts = c.qualified();
  const db = ctx.sim.database(parts.length > 1 ? parts[parts.length - 2] : undefined, ctx.session);
  return { db, name: parts[parts.length - 1]! };
}

/** Output column names of `SELECT a, b AS x, f(c) y FROM ...`: aliases or last identifiers. */
export function selectColumns(query: string): string[] {
  const m = /^\s*select\s+(.*?)\s+from\s/is.exec(query);
  if (!m) return [];
  const items: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of m[1]!) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(cur);
      cur = '';
    } else cur += ch;
  }
  items.push(cur);
  return items.map((item, i) => {
    const alias = /(?:\bas\s+)?`?([\p{L}\p{N}_]+)`?\s*$/iu.exec(item.trim());
    return alias?.[1] ?? `_c${i}`;
  });
}

export const createView: StatementHandler = {
  name: 'CREATE VIEW',
  match: (c) => c.at('CREATE', 'VIEW') || c.at('CREATE', 'OR', 'REPLACE', 'VIEW'),
  run(c, ctx) {
    c.expect('CREATE');
    const replace = c.accept('OR', 'REPLACE');
    c.expect('VIEW');
    const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const { db, name } = target(c, ctx);
    checkTableName(ctx, name);
    ctx.sim.requireDbPriv(ctx.session, db.name, 'CREATE');
    const explicit = c.atPunct('(') ? c.list(() => { const n = c.ident(); if (c.accept('COMMENT')) c.string(); return n; }) : undefined;
    if (c.accept('COMMENT')) c.string();
    c.expect('AS');
    const query = c.rest().replace(/;\s*$/, '');
    if (db.tables[name] && !replace) {
      if (ifNotExists) return ok();
      throw dorisError(`Table '${name}' already exists`);
    }
    const now = ctx.sim.clock.now();
    const columns: SimColumn[] = (explicit ?? selectColumns(query)).map((n) => ({ name: n, type: 'varchar(65533)', nullable: true, isKey: false, comment: '' }));
    db.tables[name] = { ...baseTable(allocId(ctx.sim.world), name, 'VIEW', columns, now), query };
    ctx.sim.changed(db.name);
    return ok();
  },
};

const ASYNC_MARKERS = /\b(BUILD|REFRESH|DISTRIBUTED|PROPERTIES|DUPLICATE|PARTITION)\b/i;

/**
 * An MTMV holds what its query returns at its last refresh. Queries beyond the simulator's SELECT
 * (GROUP BY, joins) leave the MV as it was: the simulator cannot compute them.
 */
async function refreshRows(ctx: Ctx, mv: SimTable, dbName: string): Promise<void> {
  const part = mv.partitions[0];
  if (!part || !mv.query) return;
  try {
    const result = await ctx.sim.execute(mv.query, { ...ctx.session, db: dbName });
    if (result.kind === 'rows') {
      part.rows = result.rows;
      part.visibleVersion++;
      part.visibleVersionTime = ctx.sim.clock.now();
    }
  } catch (e) {
    if (!(e instanceof Error) || !/Syntax error|not supported by the simulator|Unknown column/i.test(e.message)) throw e;
  }
}

async function createMaterializedView(c: Cursor, ctx: Ctx): Promise<Result> {
  const { sim, session } = ctx;
  c.expect('CREATE', 'MATERIALIZED', 'VIEW');
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const parts = c.qualified();
  const name = parts[parts.length - 1]!;
  const clausesFrom = c.offset;
  let mvProps: Record<string, string> = {};
  while (!c.done && !c.at('AS')) {
    if (c.accept('PROPERTIES')) mvProps = c.properties();
    else c.next();
  }
  const clauses = c.sql.slice(clausesFrom, c.offset).trim();
  c.expect('AS');
  const query = c.rest().replace(/;\s*$/, '');
  const db = sim.database(parts.length > 1 ? parts[parts.length - 2] : undefined, session);
  checkTableName(ctx, name);
  sim.requireDbPriv(session, db.name, 'CREATE');

  if (!ASYNC_MARKERS.test(clauses)) {
    // Synchronous MV: a rollup (materialized index) of the one table in FROM.
    const from = /\bfrom\s+`?([^\s`;]+)`?/i.exec(query)?.[1];
    const base = from ? db.tables[from.split('.').pop()!] : undefined;
    if (!base || base.type !== 'OLAP') throw dorisError(`The materialized view must be created on an olap table: ${from ?? ''}`);
    if (base.rollups.some((r) => r.name === name)) throw dorisError(`Materialized view[${name}] already exists`);
    base.rollups.push({ id: allocId(sim.world), name, columns: selectColumns(query) });
    sim.changed(db.name);
    return ok();
  }
  if (!sim.caps.asyncMv) throw dorisError('Async materialized view is not supported in this version');
  if (db.tables[name]) {
    if (ifNotExists) return ok();
    throw dorisError(`Table '${name}' already exists`);
  }
  // Nereids binds the query first: every table it reads must exist.
  for (const ref of referencedTables(query, db.name)) {
    const base = sim.world.databases[ref.database];
    if (!base) throw dorisError(`Unknown database '${ref.database}'`);
    if (!base.tables[ref.name]) throw dorisError(`Table [${ref.name}] does not exist in database [${ref.database}].`);
  }
  // Replicas are placed by the MV's own properties (default 3), refused like CREATE TABLE when too few backends live.
  const allocation = resolveAllocation(sim, mvProps, DEFAULT_ALLOCATION);
  const explicit = /^\(([^)]*)\)/.exec(clauses)?.[1]?.split(',').map((s) => s.trim().replace(/`/g, '').split(/\s+/)[0]!);
  const columnNames = explicit ?? selectColumns(query);
  for (const n of columnNames) checkColumnName(ctx, n);
  const columns: SimColumn[] = columnNames.map((n) => ({ name: n, type: 'varchar(65533)', nullable: true, isKey: false, comment: '' }));
  const now = sim.clock.now();
  const refreshState = /\bBUILD\s+DEFERRED\b/i.test(clauses) ? ('INIT' as const) : ('SUCCESS' as const);
  const mv = { ...baseTable(allocId(sim.world), name, 'MATERIALIZED_VIEW', columns, now), query, mvClauses: clauses, refreshState };
  const buckets = /BUCKETS\s+(\d+)/i.exec(clauses);
  mv.distribution = { type: 'RANDOM', columns: [], buckets: buckets ? Number(buckets[1]) : 2, auto: false };
  mv.partitions.push({
    id: allocId(sim.world), name, item: { kind: 'none' }, visibleVersion: 1, visibleVersionTime: now, rows: [],
    replicationAllocation: allocation, storagePolicy: '', cooled: false, buckets: mv.distribution.buckets, tabletIdBase: allocId(sim.world, mv.distribution.buckets),
  });
  mv.properties = { replication_allocation: allocation };
  db.tables[name] = mv;
  if (refreshState === 'SUCCESS') await refreshRows(ctx, mv, db.name);
  sim.changed(db.name);
  return ok();
}

export const createMv: StatementHandler = {
  name: 'CREATE MATERIALIZED VIEW',
  match: (c) => c.at('CREATE', 'MATERIALIZED', 'VIEW'),
  run: createMaterializedView,
};

export const refreshMv: StatementHandler = {
  name: 'REFRESH MATERIALIZED VIEW',
  match: (c) => c.at('REFRESH', 'MATERIALIZED', 'VIEW'),
  async run(c, { sim, session }) {
    c.expect('REFRESH', 'MATERIALIZED', 'VIEW');
    const { db, table } = sim.table(c.qualified(), session);
    c.rest();
    if (table.type !== 'MATERIALIZED_VIEW') throw dorisError(`${table.name} is not async materialized view`);
    table.refreshState = 'SUCCESS';
    table.updateTime = sim.clock.now();
    await refreshRows({ sim, session }, table, db.name);
    sim.changed();
    return ok();
  },
};

export const dropTable: StatementHandler = {
  name: 'DROP TABLE',
  match: (c) => c.at('DROP', 'TABLE') || c.at('DROP', 'VIEW') || c.at('DROP', 'MATERIALIZED', 'VIEW'),
  run(c, { sim, session }) {
    c.expect('DROP');
    const kind = c.accept('MATERIALIZED', 'VIEW') ? 'MV' : c.accept('VIEW') ? 'VIEW' : (c.expect('TABLE'), 'TABLE');
    const ifExists = c.accept('IF', 'EXISTS');
    const parts = c.qualified();
    const onTable = c.accept('ON') ? c.qualified() : undefined;
    c.accept('FORCE');
    c.end();
    const db = sim.database(parts.length > 1 ? parts[parts.length - 2] : undefined, session);
    sim.requireDbPriv(session, db.name, 'DROP');
    const name = parts[parts.length - 1]!;
    if (kind === 'MV' && onTable) {
      const { table } = sim.table(onTable, session);
      const before = table.rollups.length;
      table.rollups = table.rollups.filter((r) => r.name !== name);
      if (table.rollups.length === before && !ifExists) throw dorisError(`Materialized view [${name}] does not exist in table [${table.name}]`);
      sim.changed(db.name);
      return ok();
    }
    if (!db.tables[name]) {
      if (ifExists) return ok();
      throw unknownTable(name);
    }
    delete db.tables[name];
    sim.changed(db.name);
    return ok();
  },
};
