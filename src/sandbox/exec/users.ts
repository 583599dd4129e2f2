// CREATE USER, GRANT, SHOW GRANTS (the subset tests need: admin, read-only and LOAD-only users).
import { ok, rows, type Engine, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { passwordHash } from '../server.js';
import type { Privilege, SimUser } from '../store.js';
import type { Cursor } from '../sql/cursor.js';

const PRIVS: Record<string, Privilege[]> = {
  ADMIN_PRIV: ['ADMIN'], NODE_PRIV: ['NODE'], GRANT_PRIV: ['GRANT'], SELECT_PRIV: ['SELECT'], LOAD_PRIV: ['LOAD'],
  ALTER_PRIV: ['ALTER'], CREATE_PRIV: ['CREATE'], DROP_PRIV: ['DROP'], SHOW_VIEW_PRIV: ['SHOW_VIEW'],
  ALL: ['SELECT', 'LOAD', 'ALTER', 'CREATE', 'DROP', 'SHOW_VIEW'],
};
const PRIV_TEXT: Record<Privilege, string> = {
  ADMIN: 'Admin_priv', NODE: 'Node_priv', GRANT: 'Grant_priv', SELECT: 'Select_priv', LOAD: 'Load_priv',
  ALTER: 'Alter_priv', CREATE: 'Create_priv', DROP: 'Drop_priv', SHOW_VIEW: 'Show_view_priv',
};

const nameOrString = (c: Cursor): string => (c.peek.kind === 'string' ? c.string() : c.ident());

/** `'name'@'host'` or `name`. */
function userIdentity(c: Cursor): { name: string; host: string } {
  const name = c.peek.kind === 'string' ? c.string() : c.ident();
  let host = '%';
  if (c.peek.kind === 'word' && c.peek.value.startsWith('@')) {
    host = c.next().value.slice(1) || nameOrString(c);
  }
  return { name, host };
}

export function addUser(sim: Engine, name: string, password: string, global: Privilege[] = []): SimUser {
  const user: SimUser = { name, host: '%', passwordHash: passwordHash(password), global, databases: {}, roles: [] };
  sim.world.users[name] = user;
  sim.changed();
  return user;
}

export const createUser: StatementHandler = {
  name: 'CREATE USER',
  match: (c) => c.at('CREATE', 'USER'),
  run(c, { sim, session }) {
    c.next();
    c.next();
    const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const { name } = userIdentity(c);
    let password = '';
    if (c.accept('IDENTIFIED', 'BY')) {
      c.accept('PASSWORD');
      password = c.string();
    }
    const roles: string[] = [];
    if (c.accept('DEFAULT', 'ROLE')) roles.push(c.string());
    c.end();
    sim.requireAdmin(session, 'GRANT');
    if (sim.world.users[name]) {
      if (ifNotExists) return ok();
      throw dorisError(`User '${name}'@'%' already exists`);
    }
    addUser(sim, name, password).roles = roles;
    return ok();
  },
};

/** `*.*`, `db.*`, `db.tbl`, `ctl.db.*` ... : the parts, `*` included. */
function grantTarget(c: Cursor): string[] {
  const part = (): string => (c.acceptPunct('*') ? '*' : c.ident());
  const parts = [part()];
  while (c.acceptPunct('.')) parts.push(part());
  return parts;
}

export const grant: StatementHandler = {
  name: 'GRANT',
  match: (c) => c.at('GRANT'),
  run(c, { sim, session }) {
    c.next();
    const privs = new Set<Privilege>();
    do {
      const word = c.ident().toUpperCase();
      const p = PRIVS[word];
      if (!p) throw dorisError(`Unknown privilege: ${word}`);
      p.forEach((x) => privs.add(x));
    } while (c.acceptPunct(','));
    c.expect('ON');
    const target = grantTarget(c);
    c.expect('TO');
    const { name } = userIdentity(c);
    c.end();
    sim.requireAdmin(session, 'GRANT');
    const user = sim.world.users[name];
    if (!user) throw dorisError(`user '${name}'@'%' does not exist`);
    const parts = target[0] === 'internal' || (target.length === 3 && target[0] === '*') ? target.slice(1) : target;
    const db = parts[0] ?? '*';
    if (db === '*') user.global = [...new Set([...user.global, ...privs])];
    else user.databases[db] = [...new Set([...(user.databases[db] ?? []), ...privs])];
    sim.changed();
    return ok();
  },
};

export const showGrants: StatementHandler = {
  name: 'SHOW GRANTS',
  match: (c) => c.at('SHOW', 'GRANTS') || c.at('SHOW', 'ALL', 'GRANTS'),
  run(c, { sim, session }) {
    c.next();
    const all = c.accept('ALL');
    c.expect('GRANTS');
    c.end();
    if (all) sim.requireAdmin(session, 'GRANT');
    const users = all ? Object.values(sim.world.users) : [session.user];
    const columns = ['UserIdentity', 'Comment', 'Password', 'Roles', 'GlobalPrivs', 'CatalogPrivs', 'DatabasePrivs', 'TablePrivs', 'ColPrivs', 'ResourcePrivs', 'WorkloadGroupPrivs'];
    return rows(
      columns,
      users.map((u) => [
        `'${u.name}'@'${u.host}'`,
        '',
        u.passwordHash ? 'Yes' : 'No',
        u.roles.join(','),
        u.global.length ? u.global.map((p) => PRIV_TEXT[p]).join(',') : null,
        null,
        Object.entries(u.databases).map(([db, ps]) => `internal.${db}: ${ps.map((p) => PRIV_TEXT[p]).join(',')}`).join('; ') || null,
        null,
        null,
        null,
        'normal: Usage_priv',
      ]),
    );
  },
};
