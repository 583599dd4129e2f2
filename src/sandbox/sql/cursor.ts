// A cursor over tokens with the small vocabulary every statement parser needs.
import { syntaxError } from '../errors.js';
import { tokenize, type Token } from './lexer.js';

export class Cursor {
  private pos = 0;
  readonly tokens: Token[];

  constructor(readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  get peek(): Token {
    return this.tokens[this.pos]!;
  }
  peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  get done(): boolean {
    return this.peek.kind === 'eof';
  }
  get offset(): number {
    return this.peek.start;
  }
  next(): Token {
    const t = this.peek;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** True (and consumes) when the next tokens are these keywords. */
  accept(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      const t = this.peekAt(i);
      if (t.kind !== 'word' || t.upper !== words[i]) return false;
    }
    this.pos += words.length;
    return true;
  }
  /** True when the next tokens are these keywords, without consuming. */
  at(...words: string[]): boolean {
    return words.every((w, i) => {
      const t = this.peekAt(i);
      return t.kind === 'word' && t.upper === w;
    });
  }
  expect(...words: string[]): void {
    if (!this.accept(...words)) throw this.error();
  }
  acceptPunct(p: string): boolean {
    if (this.peek.kind === 'punct' && this.peek.value === p) {
      this.pos++;
      return true;
    }
    return false;
  }
  atPunct(p: string): boolean {
    return this.peek.kind === 'punct' && this.peek.value === p;
  }
  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.error();
  }

  /** An identifier: a backquoted name or a bare word. */
  ident(): string {
    const t = this.peek;
    if (t.kind === 'ident' || t.kind === 'word') {
      this.pos++;
      return t.value;
    }
    throw this.error();
  }
  /** `a` or `a.b` (or `a.b.c`): returns the parts. */
  qualified(): string[] {
    const parts = [this.ident()];
    while (this.acceptPunct('.')) parts.push(this.peek.kind === 'punct' && this.peek.value === '*' ? this.next().value : this.ident());
    return parts;
  }
  /** A variable name: `x`, `@@x`, `@@session.x` or `@@global.x`; returns `x` in lower case. */
  variable(): string {
    const first = this.ident();
    if (/^@@(session|global)$/i.test(first) && this.acceptPunct('.')) return this.ident().toLowerCase();
    return first.replace(/^@@/, '').toLowerCase();
  }
  string(): string {
    const t = this.peek;
    if (t.kind !== 'string') throw this.error();
    this.pos++;
    return t.value;
  }
  /** A string, number or bare word as text. */
  literal(): string {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'word' || t.kind === 'ident') return t.value;
    if (t.kind === 'punct' && t.value === '-' && this.peek.kind === 'number') return `-${this.next().value}`;
    throw this.error(t);
  }
  number(): number {
    const t = this.next();
    if (t.kind !== 'number') throw this.error(t);
    return Number(t.value);
  }
  /** `( item, item, ... )` */
  list<T>(item: () => T): T[] {
    this.expectPunct('(');
    const out: T[] = [];
    if (this.acceptPunct(')')) return out;
    do out.push(item());
    while (this.acceptPunct(','));
    this.expectPunct(')');
    return out;
  }
  /** `("k" = "v", ...)` as an ordered record. */
  properties(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.list(() => {
      const key = this.literal();
      this.expectPunct('=');
      return [key, this.literal()] as const;
    }))
      out[k] = v;
    return out;
  }
  /** Skips to the matching close paren of an already-consumed open paren; returns the inner text. */
  skipParens(): string {
    this.expectPunct('(');
    const from = this.peek.start;
    let depth = 1;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') throw this.error(t);
      if (t.kind === 'punct' && t.value === '(') depth++;
      if (t.kind === 'punct' && t.value === ')' && --depth === 0) return this.sql.slice(from, t.start);
    }
  }
  /** The rest of the statement text from the current token. */
  rest(): string {
    const text = this.sql.slice(this.peek.start).trim();
    this.pos = this.tokens.length - 1;
    return text;
  }
  end(): void {
    this.acceptPunct(';');
    if (!this.done) throw this.error();
  }
  error(t: Token = this.peek): Error {
    return syntaxError(t.kind === 'eof' ? 'EOF' : this.sql.slice(t.start, t.start + 60));
  }
}
