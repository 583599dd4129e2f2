// SELECT over virtual tables: information_schema, mv_infos(), user tables (rows), and
// FROM-less selects (@@version_comment, VERSION(), DATABASE()).
import { rows, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { Cursor } from '../sql/cursor.js';
import { columnsOf, compareCells, conjuncts, evaluate, orExpr, type Expr } from '../sql/expr.js';
import type { Cell } from '../store.js';
import { sessionVariable } from './variables.js';
import { cellTable, infoSchemaTable, type SchemaFilter, type VTable } from './info-schema.js';

type Item = { kind: 'star' } | { kind: 'count'; label: string } | { kind: 'col'; name: string; label: string } | { kind: 'value'; value: Cell; label: string };

function item(c: Cursor, ctx: Ctx): Item {
  if (c.acceptPunct('*')) return { kind: 'star' };
  const start = c.offset;
  let it: Item;
  if (c.at('COUNT') && c.peekAt(1).value === '(') {
    c.next();
    c.skipParens();
    it = { kind: 'count', label: c.sql.slice(start, c.offset).trim() };
  } else if (c.peek.kind === 'word' && c.peek.value.startsWith('@@')) {
    const value = sessionVariable(ctx, c.variable());
    it = { kind: 'value', value, label: c.sql.slice(start, c.offset) };
  } else if (c.peek.kind === 'word' && c.peekAt(1).value === '(' && ['VERSION', 'DATABASE', 'CURRENT_USER', 'USER', 'NOW', 'CONNECTION_ID'].includes(c.peek.upper)) {
    const fn = c.next().upper;
    c.skipParens();
    const s = ctx.session;
    const value = fn === 'VERSION' ? '5.7.99' : fn === 'DATABASE' ? (s.db ?? null) : fn === 'NOW' ? formatDateTime(ctx.sim.clock.now()) : fn === 'CONNECTION_ID' ? String(s.id) : `'${s.user.name}'@'%'`;
    it = { kind: 'value', value, label: c.sql.slice(start, c.offset) };
  } else if (c.peek.kind === 'string' || c.peek.kind === 'number') {
    const value = c.literal();
    it = { kind: 'value', value, label: value };
  } else {
    const parts = c.qualified();
    const name = parts[parts.length - 1]!;
    it = { kind: 'col', name, label: name };
  }
  if (c.accept('AS') || c.peek.kind === 'ident') it = { ...it, label: c.peek.kind === 'string' ? c.string() : c.ident() };
  return it;
}

/** A conjunct of a WHERE that reads TABLE_SCHEMA alone. */
function schemaOnly(e: Expr): boolean {
  const cols = [...columnsOf(e)];
  return cols.length > 0 && cols.every((n) => n.toUpperCase() === 'TABLE_SCHEMA');
}

/** The part of a WHERE that reads TABLE_SCHEMA alone, as a filter on database names. */
function schemaFilter(where: Expr | undefined): SchemaFilter | undefined {
  if (!where) return undefined;
  const parts = conjuncts(where).filter(schemaOnly);
  if (!parts.length) return undefined;
  return (database) => parts.every((e) => evaluate(e, () => database));
}

/** What a FROM reads; `schemaFiltered`: rows of databases the filter refuses were never made. */
type Source = { table: VTable; partitions?: string[]; schemaFiltered?: boolean };

function source(c: Cursor, ctx: Ctx): (filter?: SchemaFilter) => Source {
  const { sim, session } = ctx;
  if (c.at('MV_INFOS') && c.peekAt(1).value === '(') {
    c.next();
    const props = c.properties();
    return () => ({ table: mvInfos(ctx, props) });
  }
  const parts = c.qualified();
  const names = parts[0] === 'internal' ? parts.slice(1) : parts;
  if (names.length === 2 && names[0]!.toLowerCase() === 'information_schema') return (filter) => ({ table: infoSchemaTable(sim, session, names[1]!, filter), schemaFiltered: true });
  if (names.length === 1 && session.db === 'information_schema') return (filter) => ({ table: infoSchemaTable(sim, session, names[0]!, filter), schemaFiltered: true });
  const { db, table } = sim.table(names, session);
  if (!sim.hasDbPriv(session.user, db.name, 'SELECT') && !sim.hasDbPriv(session.user, db.name, 'LOAD')) throw sim.accessDenied('SELECT');
  if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') throw dorisError(`Querying ${table.type} table ${table.name} is not supported by the simulator`);
  let partitions: string[] | undefined;
  if (c.accept('PARTITION') || c.accept('PARTITIONS')) partitions = c.atPunct('(') ? c.list(() => c.ident()) : [c.ident()];
  const data: Cell[][] = [];
  for (const p of table.partitions) {
    if (partitions && !partitions.includes(p.name)) continue;
    data.push(...p.rows);
  }
  return () => ({ table: cellTable(table.columns.map((col) => col.name), data), partitions });
}

function mvInfos(ctx: Ctx, props: Record<string, string>): VTable {
  const { sim, session } = ctx;
  for (const k of Object.keys(props)) if (k !== 'database') throw dorisError(`'${k}' is invalid property`);
  if (!props.database) throw dorisError('Invalid async materialized view metadata query');
  if (!sim.caps.asyncMv) throw dorisError('Unknown table function mv_infos');
  const db = sim.database(props.database, session);
  const envInfo = sim.caps.mvInfosEnvInfo;
  const columns = ['Id', 'Name', 'JobName', 'State', 'SchemaChangeDetail', 'RefreshState', 'RefreshInfo', 'QuerySql', ...(envInfo ? ['EnvInfo'] : []), 'MvProperties', 'MvPartitionInfo', 'SyncWithBaseTables'];
  const out = Object.values(db.tables)
    .filter((t) => t.type === 'MATERIALIZED_VIEW')
    .map((t): Cell[] => {
      const refresh = /REFRESH\s+(.*?)(?=\s+(DUPLICATE|DISTRIBUTED|PARTITION|PROPERTIES|COMMENT)\b|$)/is.exec(t.mvClauses ?? '')?.[1]?.trim() ?? 'AUTO ON MANUAL';
      const build = /BUILD\s+(\w+)/i.exec(t.mvClauses ?? '')?.[1]?.toUpperCase() ?? 'IMMEDIATE';
      const row: Cell[] = [String(t.id), t.name, `inner_mtmv_${t.id}`, 'NORMAL', '', t.refreshState ?? 'SUCCESS', `BUILD ${build} REFRESH ${refresh}`, t.query ?? ''];
      if (envInfo) row.push('EnvInfo{ctlId=\'0\', dbId=\'' + db.id + '\'}');
      row.push('{}', 'MTMVPartitionInfo{partitionType=SELF_MANAGE}', '1');
      return row;
    });
  return cellTable(columns, out);
}

function select(c: Cursor, ctx: Ctx): Result {
  c.expect('SELECT');
  const items: Item[] = [];
  do items.push(item(c, ctx));
  while (c.acceptPunct(','));
  let from: ReturnType<typeof source> | undefined;
  if (c.accept('FROM')) from = source(c, ctx);
  let where: Expr | undefined;
  if (c.accept('WHERE')) where = orExpr(c);
  // ORDER BY 2 names the second column of the table (enough for SELECT *).
  const order: { name?: string; position?: number; desc: boolean }[] = [];
  if (c.accept('ORDER', 'BY')) {
    do {
      const k = c.peek.kind === 'number' ? { position: c.number() } : { name: c.qualified().pop()! };
      order.push({ ...k, desc: c.accept('DESC') ? true : (c.accept('ASC'), false) });
    } while (c.acceptPunct(','));
  }
  const limit = c.accept('LIMIT') ? c.number() : undefined;
  c.end();

  const filter = schemaFilter(where);
  const src = from?.(filter);
  const table: VTable = src?.table ?? cellTable([], [[]]);
  const cell = table.cell;
  // What the source already filtered by database is not tested again on every row.
  const rowTests = !where ? [] : src?.schemaFiltered && filter ? conjuncts(where).filter((e) => !schemaOnly(e)) : [where];
  const index = new Map(table.columns.map((n, i) => [n.toLowerCase(), i]));
  const resolved = new Map<string, number>();
  // Memoised by the name as written: WHERE runs this once per row per column.
  const col = (name: string): number => {
    const known = resolved.get(name);
    if (known !== undefined) return known;
    const i = index.get(name.toLowerCase());
    if (i === undefined) throw dorisError(`Unknown column '${name}' in 'table list'`);
    resolved.set(name, i);
    return i;
  };
  // Every column a WHERE names must exist, whether or not any row is left to test.
  if (where) for (const n of columnsOf(where)) col(n);
  const keys = order.map((k) => ({ i: k.position !== undefined ? k.position - 1 : col(k.name!), desc: k.desc }));
  const matches = (r: unknown): boolean => rowTests.every((e) => evaluate(e, (n) => cell(r, col(n))));

  const columns: string[] = [];
  const pick: ((r: unknown) => Cell)[] = [];
  for (const it of items) {
    if (it.kind === 'star') table.columns.forEach((n, i) => { columns.push(n); pick.push((r) => cell(r, i)); });
    else if (it.kind === 'col') { const i = col(it.name); columns.push(it.label); pick.push((r) => cell(r, i)); }
    else if (it.kind === 'value') { columns.push(it.label); pick.push(() => it.value); }
  }
  const counting = items.some((i) => i.kind === 'count');
  if (!counting && keys.length === 0) {
    // One pass: each source row is filtered and projected as it is made, so a million-row
    // information_schema table is never held whole. Every column the query names was resolved
    // above, so nothing in the pass can fail: on the wire the answer is made as it is written.
    const answer = function* (): Generator<Cell[]> {
      if (limit === 0) return;
      let n = 0;
      for (const r of table.records) {
        if (!matches(r)) continue;
        yield pick.map((f) => f(r));
        if (limit !== undefined && ++n >= limit) return;
      }
    };
    return ctx.streaming ? { kind: 'stream', columns, rows: answer() } : rows(columns, [...answer()]);
  }
  let data: unknown[] = [];
  for (const r of table.records) if (matches(r)) data.push(r);
  if (keys.length) {
    data.sort((a, b) => {
      for (const k of keys) {
        const x = cell(a, k.i);
        const y = cell(b, k.i);
        const d = x === y ? 0 : x === null ? -1 : y === null ? 1 : compareCells(x, y);
        if (d !== 0) return k.desc ? -d : d;
      }
      return 0;
    });
  }
  if (limit !== undefined) data = data.slice(0, limit);
  if (counting) {
    return rows(items.map((i) => (i.kind === 'star' ? '*' : i.label)), [items.map((i) => (i.kind === 'count' ? String(data.length) : i.kind === 'value' ? i.value : i.kind === 'col' ? (data.length ? cell(data[0], col(i.name)) : null) : null))]);
  }
  return rows(columns, data.map((r) => pick.map((f) => f(r))));
}

export const selectStatement: StatementHandler = { name: 'SELECT', match: (c) => c.at('SELECT'), run: select };
