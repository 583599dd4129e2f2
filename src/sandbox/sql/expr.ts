// WHERE expressions over a row of text cells: enough for catalog readers and row checks.
import type { Cursor } from './cursor.js';
import type { Cell } from '../store.js';

export type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'cmp'; cmp: string; left: Operand; right: Operand }
  | { op: 'in'; negate: boolean; left: Operand; values: Operand[] }
  | { op: 'like'; negate: boolean; left: Operand; pattern: Operand }
  | { op: 'null'; negate: boolean; left: Operand };

export type Operand = { kind: 'col'; name: string } | { kind: 'lit'; value: Cell };

export type Lookup = (name: string) => Cell;

function operand(c: Cursor): Operand {
  const t = c.peek;
  if (t.kind === 'string') return { kind: 'lit', value: c.string() };
  if (t.kind === 'number' || (t.kind === 'punct' && t.value === '-')) return { kind: 'lit', value: c.literal() };
  if (c.accept('NULL')) return { kind: 'lit', value: null };
  if (c.accept('TRUE')) return { kind: 'lit', value: '1' };
  if (c.accept('FALSE')) return { kind: 'lit', value: '0' };
  const parts = c.qualified();
  return { kind: 'col', name: parts[parts.length - 1]! };
}

function primary(c: Cursor): Expr {
  if (c.atPunct('(')) {
    c.expectPunct('(');
    const e = orExpr(c);
    c.expectPunct(')');
    return e;
  }
  if (c.accept('NOT')) return { op: 'not', expr: primary(c) };
  const left = operand(c);
  if (c.accept('IS')) {
    const negate = c.accept('NOT');
    c.expect('NULL');
    return { op: 'null', negate, left };
  }
  const negate = c.accept('NOT');
  if (c.accept('IN')) return { op: 'in', negate, left, values: c.list(() => operand(c)) };
  if (c.accept('LIKE')) return { op: 'like', negate, left, pattern: operand(c) };
  const t = c.next();
  if (t.kind !== 'punct' || !['=', '==', '!=', '<>', '<', '>', '<=', '>='].includes(t.value)) throw c.error(t);
  return { op: 'cmp', cmp: t.value, left, right: operand(c) };
}

function andExpr(c: Cursor): Expr {
  let e = primary(c);
  while (c.accept('AND')) e = { op: 'and', left: e, right: primary(c) };
  return e;
}

export function orExpr(c: Cursor): Expr {
  let e = andExpr(c);
  while (c.accept('OR')) e = { op: 'or', left: e, right: andExpr(c) };
  return e;
}

const value = (o: Operand, get: Lookup): Cell => (o.kind === 'lit' ? o.value : get(o.name));

export function compareCells(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Columns an expression reads. */
export function columnsOf(e: Expr, out = new Set<string>()): Set<string> {
  const add = (o: Operand): void => void (o.kind === 'col' && out.add(o.name));
  switch (e.op) {
    case 'and': case 'or': columnsOf(e.left, out); columnsOf(e.right, out); break;
    case 'not': columnsOf(e.expr, out); break;
    case 'null': add(e.left); break;
    case 'in': add(e.left); e.values.forEach(add); break;
    case 'like': add(e.left); add(e.pattern); break;
    case 'cmp': add(e.left); add(e.right); break;
  }
  return out;
}

/** The conjuncts of a chain of ANDs (the expression itself when it is not one). */
export function conjuncts(e: Expr): Expr[] {
  return e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * IN over literals, as a set: exact text matches are found at once; only a value that reads as a
 * number still needs compareCells (`'1' IN ('01')` is true, as before).
 */
const inSets = new WeakMap<Expr, { exact: Set<string>; literals: string[] }>();
function literalIn(e: Expr & { op: 'in' }): { exact: Set<string>; literals: string[] } | undefined {
  if (!e.values.every((o) => o.kind === 'lit')) return undefined;
  let found = inSets.get(e);
  if (!found) {
    const literals = e.values.map((o) => (o as { value: Cell }).value).filter((v): v is string => v !== null);
    found = { exact: new Set(literals), literals };
    inSets.set(e, found);
  }
  return found;
}

const likeRegex = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');

export function evaluate(e: Expr, get: Lookup): boolean {
  switch (e.op) {
    case 'and': return evaluate(e.left, get) && evaluate(e.right, get);
    case 'or': return evaluate(e.left, get) || evaluate(e.right, get);
    case 'not': return !evaluate(e.expr, get);
    case 'null': return (value(e.left, get) === null) !== e.negate;
    case 'in': {
      const v = value(e.left, get);
      if (v === null) return false;
      const set = literalIn(e);
      if (set) {
        if (set.exact.has(v)) return !e.negate;
        const numeric = v.trim() !== '' && !Number.isNaN(Number(v));
        return (numeric && set.literals.some((x) => compareCells(v, x) === 0)) !== e.negate;
      }
      return e.values.some((o) => { const x = value(o, get); return x !== null && compareCells(v, x) === 0; }) !== e.negate;
    }
    case 'like': {
      const v = value(e.left, get);
      const p = value(e.pattern, get);
      if (v === null || p === null) return false;
      return likeRegex(p).test(v) !== e.negate;
    }
    case 'cmp': {
      const l = value(e.left, get);
      const r = value(e.right, get);
      if (l === null || r === null) return false;
      const d = compareCells(l, r);
      return e.cmp === '=' || e.cmp === '==' ? d === 0 : e.cmp === '!=' || e.cmp === '<>' ? d !== 0 : e.cmp === '<' ? d < 0 : e.cmp === '>' ? d > 0 : e.cmp === '<=' ? d <= 0 : d >= 0;
    }
  }
}
