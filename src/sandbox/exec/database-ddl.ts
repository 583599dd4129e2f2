// CREATE/DROP DATABASE, USE, SET.
import { ok, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { allocId } from '../store.js';
import { checkDbName } from '../name-format.js';

export const createDatabase: StatementHandler = {
  name: 'CREATE DATABASE',
  match: (c) => c.at('CREATE', 'DATABASE') || c.at('CREATE', 'SCHEMA'),
  run(c, { sim, session }) {
    c.next();
    c.next();
    const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    const parts = c.qualified();
    const name = parts[parts.length - 1]!;
    const properties = c.accept('PROPERTIES') ? c.properties() : {};
    c.end();
    checkDbName({ sim, session }, name);
    sim.requireAdmin(session, 'CREATE');
    if (sim.world.databases[name]) {
      if (ifNotExists) return ok();
      throw dorisError(`Can't create database '${name}'; database exists`);
    }
    sim.world.databases[name] = { id: allocId(sim.world), name, properties, tables: {}, createTime: sim.clock.now() };
    sim.changed(name);
    return ok();
  },
};

export const dropDatabase: StatementHandler = {
  name: 'DROP DATABASE',
  match: (c) => c.at('DROP', 'DATABASE') || c.at('DROP', 'SCHEMA'),
  run(c, { sim, session }) {
    c.next();
    c.next();
    const ifExists = c.accept('IF', 'EXISTS');
    const name = c.ident();
    c.accept('FORCE');
    c.end();
    sim.requireAdmin(session, 'DROP');
    if (!sim.world.databases[name]) {
      if (ifExists) return ok();
      throw dorisError(`Can't drop database '${name}'; database doesn't exist`);
    }
    delete sim.world.databases[name];
    sim.changed(name);
    return ok();
  },
};

export const use: StatementHandler = {
  name: 'USE',
  match: (c) => c.at('USE'),
  run(c, { sim, session }) {
    c.next();
    const parts = c.qualified();
    c.end();
    const name = parts[parts.length - 1]!;
    sim.visibleDatabase(name, session);
    session.db = name;
    return ok();
  },
};

/** Session variables are accepted and remembered; none changes behaviour except time_zone (kept). */
export const set: StatementHandler = {
  name: 'SET',
  match: (c) => c.at('SET'),
  run(c, { session }) {
    c.next();
    if (!c.accept('SESSION')) c.accept('GLOBAL');
    if (c.accept('NAMES')) {
      c.rest();
      return ok();
    }
    do {
      const name = c.variable();
      if (!c.acceptPunct('=')) c.expect('TO');
      session.vars[name] = c.literal();
    } while (c.acceptPunct(','));
    c.end();
    return ok();
  },
};
