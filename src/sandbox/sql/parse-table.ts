// Parsing the pieces of CREATE TABLE / ALTER TABLE that define columns, keys and partitions.
import type { Cursor } from './cursor.js';
import type { KeysType, PartitionItem, SimColumn } from '../store.js';

const AGGREGATIONS = new Set(['SUM', 'MAX', 'MIN', 'REPLACE', 'REPLACE_IF_NOT_NULL', 'HLL_UNION', 'BITMAP_UNION', 'QUANTILE_UNION', 'GENERIC']);

/** A column type such as `varchar(32)`, `decimal(10, 2)`, `array<int>`; lower-cased. */
export function parseType(c: Cursor): string {
  let type = c.ident().toLowerCase();
  if (c.atPunct('(')) type += `(${c.skipParens().replace(/\s+/g, '')})`;
  if (c.acceptPunct('<')) {
    let depth = 1;
    let inner = '';
    while (depth > 0) {
      const t = c.next();
      if (t.kind === 'eof') throw c.error(t);
      if (t.value === '<') depth++;
      if (t.value === '>' && --depth === 0) break;
      inner += t.kind === 'punct' ? t.value : t.value.toLowerCase();
    }
    type += `<${inner}>`;
  }
  return type;
}

export function parseColumn(c: Cursor): SimColumn {
  const col: SimColumn = { name: c.ident(), type: parseType(c), nullable: true, isKey: false, comment: '' };
  let explicitNull = false;
  for (;;) {
    if (c.accept('KEY')) col.isKey = true;
    else if (c.peek.kind === 'word' && AGGREGATIONS.has(c.peek.upper)) col.aggregation = c.next().upper;
    else if (c.accept('NOT', 'NULL')) { col.nullable = false; explicitNull = true; }
    else if (c.accept('NULL')) { col.nullable = true; explicitNull = true; }
    else if (c.accept('AUTO_INCREMENT')) { if (c.atPunct('(')) c.skipParens(); }
    else if (c.accept('DEFAULT')) col.defaultValue = c.accept('NULL') ? null : c.at('CURRENT_TIMESTAMP') ? (c.next(), 'CURRENT_TIMESTAMP') : c.literal();
    else if (c.accept('COMMENT')) col.comment = c.string();
    else if (c.accept('ON', 'UPDATE')) c.next();
    else break;
  }
  void explicitNull;
  return col;
}

/** `DUPLICATE KEY(...)` etc., or undefined when the clause is absent. */
export function parseKeys(c: Cursor): { keysType: KeysType; columns: string[] } | undefined {
  const kind = c.accept('DUPLICATE', 'KEY') ? 'DUP_KEYS' : c.accept('UNIQUE', 'KEY') ? 'UNIQUE_KEYS' : c.accept('AGGREGATE', 'KEY') ? 'AGG_KEYS' : undefined;
  if (!kind) return undefined;
  return { keysType: kind, columns: c.list(() => c.ident()) };
}

/** One partition definition as written; LESS THAN bounds are resolved by the caller. */
export interface PartitionDef {
  name: string;
  lessThan?: string[] | 'MAXVALUE';
  item?: PartitionItem;
  properties: Record<string, string>;
}

const tuple = (c: Cursor): string[] => c.list(() => c.literal());

export function parsePartitionDef(c: Cursor, type: 'RANGE' | 'LIST'): PartitionDef {
  c.accept('PARTITION');
  c.accept('IF', 'NOT', 'EXISTS');
  const name = c.ident();
  c.expect('VALUES');
  let def: PartitionDef;
  if (type === 'RANGE' && c.accept('LESS', 'THAN')) {
    def = { name, lessThan: c.accept('MAXVALUE') ? 'MAXVALUE' : c.atPunct('(') && c.peekAt(1).upper === 'MAXVALUE' ? (c.skipParens(), 'MAXVALUE') : tuple(c), properties: {} };
  } else if (type === 'RANGE') {
    c.expectPunct('[');
    const lower = tuple(c);
    c.expectPunct(',');
    const upper = tuple(c);
    c.expectPunct(')');
    def = { name, item: { kind: 'range', lower, upper }, properties: {} };
  } else {
    c.expect('IN');
    const values = c.list(() => (c.atPunct('(') ? tuple(c) : [c.literal()]));
    def = { name, item: { kind: 'list', values }, properties: {} };
  }
  if (c.atPunct('(')) def.properties = c.properties();
  return def;
}

/**
 * `[AUTO] PARTITION BY RANGE|LIST (cols) ( defs )`; the partition list may be empty (`()`), and an
 * AUTO one may be left out. AUTO RANGE partitions by `date_trunc(col, 'unit')`.
 */
export function parsePartitionBy(c: Cursor): { type: 'RANGE' | 'LIST'; columns: string[]; defs: PartitionDef[]; auto?: { unit?: string } } | undefined {
  const auto = c.accept('AUTO');
  if (!c.accept('PARTITION', 'BY')) {
    if (auto) throw c.error();
    return undefined;
  }
  const type = c.accept('RANGE') ? 'RANGE' : c.accept('LIST') ? 'LIST' : undefined;
  if (!type) throw c.error();
  let unit: string | undefined;
  const columns = c.list(() => {
    if (!auto || type !== 'RANGE') return c.ident();
    // date_trunc(`k`, 'day'): the column and the unit of the partitions INSERT makes.
    if (c.peek.upper !== 'DATE_TRUNC') throw c.error();
    c.next();
    c.expectPunct('(');
    const col = c.ident();
    c.expectPunct(',');
    unit = c.string().toLowerCase();
    c.expectPunct(')');
    return col;
  });
  const defs = c.atPunct('(') ? c.list(() => parsePartitionDef(c, type)) : auto ? [] : (() => { throw c.error(); })();
  return { type, columns, defs, ...(auto ? { auto: unit ? { unit } : {} } : {}) };
}

export function parseDistribution(c: Cursor): { type: 'HASH' | 'RANDOM'; columns: string[]; buckets: number; auto: boolean } | undefined {
  if (!c.accept('DISTRIBUTED', 'BY')) return undefined;
  const type = c.accept('HASH') ? 'HASH' : c.accept('RANDOM') ? 'RANDOM' : undefined;
  if (!type) throw c.error();
  const columns = type === 'HASH' ? c.list(() => c.ident()) : [];
  let buckets = 10;
  let auto = false;
  if (c.accept('BUCKETS')) {
    if (c.accept('AUTO')) auto = true;
    else buckets = c.number();
  }
  return { type, columns, buckets, auto };
}
