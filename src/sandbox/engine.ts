// The simulated FE: the world, the clock, the statement registry and the privilege rules.
// Wire handling lives in server.ts; statements live in exec/ and register themselves here.
import type { SimClock } from './clock.js';
import { codedError, dorisError, noDatabaseSelected, unknownDatabase, unknownTable, type DorisError } from './errors.js';
import type { Persistence } from './persist.js';
import { Cursor } from './sql/cursor.js';
import type { Cell, Privilege, SimDatabase, SimTable, SimUser, SimWorld } from './store.js';
import { capabilities, type Capabilities, type SimVersion } from './version.js';

/** One client connection's state. */
export interface Session {
  id: number;
  user: SimUser;
  db: string | undefined;
  vars: Record<string, string>;
}

/**
 * What a statement returns: an OK packet or a text result set. A `stream` result (only for a
 * statement from the wire, `Ctx.streaming`) makes its rows as the reply is written, so a
 * million-row information_schema answer is never held whole.
 */
export type Result =
  | { kind: 'ok'; affectedRows?: number }
  | { kind: 'rows'; columns: string[]; rows: Cell[][] }
  | { kind: 'stream'; columns: string[]; rows: Iterable<Cell[]> };

export const ok = (affectedRows = 0): Result => ({ kind: 'ok', affectedRows });
export const rows = (columns: string[], data: Cell[][]): Result => ({ kind: 'rows', columns, rows: data });

export interface Ctx {
  sim: Engine;
  session: Session;
  /** The reply goes straight to the wire: a handler may return a `stream` result. */
  streaming?: boolean;
}

/** A statement the simulator understands: `match` looks at the leading tokens without consuming. */
export interface StatementHandler {
  name: string;
  match(c: Cursor): boolean;
  run(c: Cursor, ctx: Ctx): Result | Promise<Result>;
}

export class Engine {
  readonly caps: Capabilities;
  private readonly handlers: StatementHandler[] = [];
  /** Called after each statement that changed the world. */
  persistence: Persistence | undefined;
  /** Extension points for rules that span features (e.g. a running backup blocks TRUNCATE). */
  readonly hooks: { beforeTruncate?: (db: string) => void } = {};
  /**
   * Background work of the FE that follows the simulated clock (e.g. the dynamic-partition
   * scheduler), run before each statement so whoever looks next sees it done.
   */
  readonly beforeStatement: ((sim: Engine) => void)[] = [];
  /** Extra `ADMIN SIM` statements from extensions; each returns undefined when it does not match. */
  readonly adminSimExtensions: ((c: Cursor, ctx: Ctx) => Result | Promise<Result> | undefined)[] = [];
  /**
   * Statements received from clients over the wire, by handler name (`SHOW BACKUP`, `SELECT`, ...;
   * `(not understood)` for the rest), so benchmarks can measure the load a tool puts on the FE.
   * Seed scripts run through `execute` directly are not counted. Clear it to start a measurement.
   */
  readonly received = new Map<string, number>();
  /** Real ms spent answering wire statements (running them and encoding the replies), for benchmarks. */
  answerMs = 0;
  /** The wire layer's fault switches, set once the server listens. */
  wire: { dropConnections(): void; refuseUntil(realMs: number): void } | undefined;

  constructor(
    readonly version: SimVersion,
    public world: SimWorld,
    readonly clock: SimClock,
  ) {
    this.caps = capabilities(version);
  }

  register(...handlers: StatementHandler[]): void {
    this.handlers.push(...handlers);
  }

  /** Runs one statement for a session. Throws DorisError for anything the client should see. */
  async execute(sql: string, session: Session, fromWire = false): Promise<Result> {
    let c: Cursor;
    try {
      c = new Cursor(sql);
    } catch (e) {
      if (fromWire) this.count('(not understood)');
      throw dorisError(`Syntax error: ${(e as Error).message}`);
    }
    if (c.done) return ok();
    for (const work of this.beforeStatement) work(this);
    const handler = this.handlers.find((h) => h.match(c));
    if (fromWire) this.count(handler?.name ?? '(not understood)');
    if (!handler) throw c.error();
    return handler.run(c, { sim: this, session, ...(fromWire ? { streaming: true } : {}) });
  }

  private count(name: string): void {
    this.received.set(name, (this.received.get(name) ?? 0) + 1);
  }

  /**
   * Call after any change to the world so it persists. Pass the database when the change is
   * confined to that one database (faster writes of big worlds); call it bare for anything else
   * (users, resources, extensions, several databases, or when unsure).
   */
  changed(database?: string): void {
    this.persistence?.markDirty(database);
  }

  // --- names ---------------------------------------------------------------------------------

  database(name: string | undefined, session: Session): SimDatabase {
    const dbName = name ?? session.db;
    if (!dbName) throw noDatabaseSelected();
    const db = this.world.databases[dbName];
    if (!db) throw unknownDatabase(dbName);
    return db;
  }

  /** `[t]` or `[db, t]` (or `[internal, db, t]`) to a table. */
  table(parts: string[], session: Session): { db: SimDatabase; table: SimTable } {
    const names = parts.length === 3 && parts[0] === 'internal' ? parts.slice(1) : parts;
    const db = this.database(names.length > 1 ? names[0] : undefined, session);
    const tableName = names[names.length - 1]!;
    const table = db.tables[tableName];
    if (!table) throw unknownTable(tableName);
    return { db, table };
  }

  /** `database()` for reads: a database the user holds no privilege on is refused with 1044. */
  visibleDatabase(name: string | undefined, session: Session): SimDatabase {
    const db = this.database(name, session);
    if (!this.canSee(session.user, db.name)) throw this.dbAccessDenied(session, db.name);
    return db;
  }

  /** `table()` for reads (SHOW CREATE TABLE, SHOW PARTITIONS, ...): 1044 without any privilege on its database. */
  visibleTable(parts: string[], session: Session): { db: SimDatabase; table: SimTable } {
    const found = this.table(parts, session);
    if (!this.canSee(session.user, found.db.name)) throw this.dbAccessDenied(session, found.db.name);
    return found;
  }

  // --- privileges ----------------------------------------------------------------------------

  isAdmin(user: SimUser): boolean {
    return user.global.includes('ADMIN') || user.roles.includes('admin') || user.roles.includes('operator');
  }

  hasDbPriv(user: SimUser, db: string, priv: Privilege): boolean {
    if (this.isAdmin(user) || user.global.includes(priv)) return true;
    return user.databases[db]?.includes(priv) ?? false;
  }

  /** Whether the user may see a database at all (SHOW DATABASES, information_schema rows). */
  canSee(user: SimUser, db: string): boolean {
    return this.isAdmin(user) || user.global.length > 0 || (user.databases[db]?.length ?? 0) > 0;
  }

  accessDenied(privilege: string): DorisError {
    const p = this.caps.accessDeniedParens ? `(${privilege})` : privilege;
    return codedError(1227, '42000', `Access denied; you need (at least one of) the ${p} privilege(s) for this operation`);
  }

  requireAdmin(session: Session, shown = 'ADMIN'): void {
    if (!this.isAdmin(session.user)) throw this.accessDenied(shown);
  }

  requireDbPriv(session: Session, db: string, priv: Privilege): void {
    if (!this.hasDbPriv(session.user, db, priv)) throw this.accessDenied(priv);
  }

  /** 1044, used by SHOW BACKUP / SHOW RESTORE. */
  dbAccessDenied(session: Session, db: string): DorisError {
    return codedError(1044, '42000', `Access denied for user '${session.user.name}' to database '${db}'`);
  }
}
