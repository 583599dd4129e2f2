// DESC[RIBE] [db.]table [ALL]. Without ALL: the base schema (IndexSchemaProcNode's six columns).
// With ALL, on an OLAP table or async MV: every index, the table first and then its rollups, as
// DescribeStmt prints them: the first row of an index carries IndexName and IndexKeysType, and an
// all-empty row separates indexes. It needs no current database, unlike SHOW DATA FROM db.tbl.
import { rows, type Ctx, type Result, type StatementHandler } from '../engine.js';
import { codedError } from '../errors.js';
import type { Cursor } from '../sql/cursor.js';
import type { Cell, SimColumn, SimTable } from '../store.js';

const ALL_COLUMNS = ['IndexName', 'IndexKeysType', 'Field', 'Type', 'InternalType', 'Null', 'Key', 'Default', 'Extra', 'Visible', 'DefineExpr', 'WhereClause'];
const BASE_COLUMNS = ['Field', 'Type', 'Null', 'Key', 'Default', 'Extra'];

/** DescribeStmt's Type: DATEV2/DATETIMEV2/DECIMALV3 shown by their SQL names, the rest as stored. */
function shownType(type: string): string {
  if (type === 'date' || type === 'datev2') return 'DATE';
  const dt = /^datetime(?:v2)?(?:\((\d+)\))?$/.exec(type);
  if (dt) return Number(dt[1] ?? 0) > 0 ? `DATETIME(${dt[1]})` : 'DATETIME';
  const dec = /^decimal(?:v3)?\((\d+),\s*(\d+)\)$/.exec(type);
  if (dec) return Number(dec[2]) > 0 && Number(dec[1]) !== 9 ? `DECIMAL(${dec[1]}, ${dec[2]})` : 'DECIMAL';
  return type;
}

/** The type as Doris stores it (InternalType): the V2 names. */
function internalType(type: string): string {
  if (type === 'date') return 'datev2';
  const dt = /^datetime(?:\((\d+)\))?$/.exec(type);
  if (dt) return `datetimev2(${dt[1] ?? 0})`;
  const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  if (dec) return `decimalv3(${dec[1]},${dec[2]})`;
  return type;
}

const columnCells = (col: SimColumn): Cell[] => [col.name, shownType(col.type), internalType(col.type), col.nullable ? 'Yes' : 'No', String(col.isKey), col.defaultValue ?? 'NULL', col.aggregation ?? ''];

function allIndexes(table: SimTable): Cell[][] {
  const out: Cell[][] = [];
  const indexes = [{ name: table.name, columns: table.columns }, ...table.rollups.map((r) => ({ name: r.name, columns: r.columns.map((n) => table.columns.find((col) => col.name === n)!).filter(Boolean) }))];
  indexes.forEach((index, i) => {
    index.columns.forEach((col, j) => {
      const [field, type, internal, nullable, key, dflt, extra] = columnCells(col);
      out.push([j === 0 ? index.name : '', j === 0 ? table.keysType : '', field!, type!, internal!, nullable!, key!, dflt!, extra!, 'true', '', '']);
    });
    if (i !== indexes.length - 1) out.push(ALL_COLUMNS.map(() => ''));
  });
  return out;
}

function describe(c: Cursor, ctx: Ctx): Result {
  const { sim, session } = ctx;
  if (!c.accept('DESCRIBE')) c.expect('DESC');
  const { table } = sim.visibleTable(c.qualified(), session);
  const all = c.accept('ALL');
  c.end();
  if (!all) return rows(BASE_COLUMNS, table.columns.map((col) => columnCells(col).filter((_, i) => i !== 2)));
  if (table.type !== 'OLAP' && table.type !== 'MATERIALIZED_VIEW') throw codedError(1286, '42000', `Unknown storage engine '${table.type}'`);
  return rows(ALL_COLUMNS, allIndexes(table));
}

export const describeHandler: StatementHandler = { name: 'DESCRIBE', match: (c) => c.at('DESC') || c.at('DESCRIBE'), run: describe };
