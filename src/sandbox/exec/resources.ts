// CREATE RESOURCE (s3), CREATE STORAGE POLICY, CREATE CATALOG; SHOW STORAGE POLICY [USING], SHOW CATALOGS.
import { formatDateTime } from '../format.js';
import { ok, rows, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';
import { allocId, type Cell } from '../store.js';

const nameOf = (c: Parameters<StatementHandler['run']>[0]): string => (c.peek.kind === 'string' ? c.string() : c.ident());

export const createResource: StatementHandler = {
  name: 'CREATE RESOURCE',
  match: (c) => c.at('CREATE', 'RESOURCE') || c.at('CREATE', 'EXTERNAL', 'RESOURCE'),
  run(c, { sim, session }) {
    c.expect('CREATE');
    c.accept('EXTERNAL');
    c.expect('RESOURCE');
    c.accept('IF', 'NOT', 'EXISTS');
    const name = nameOf(c);
    c.expect('PROPERTIES');
    const properties = c.properties();
    c.end();
    sim.requireAdmin(session);
    if (!properties.type) throw dorisError('Resource type can\'t be null');
    sim.world.resources[name] = { name, type: properties.type.toLowerCase(), properties };
    sim.changed();
    return ok();
  },
};

export const createStoragePolicy: StatementHandler = {
  name: 'CREATE STORAGE POLICY',
  match: (c) => c.at('CREATE', 'STORAGE', 'POLICY'),
  run(c, { sim, session }) {
    c.expect('CREATE', 'STORAGE', 'POLICY');
    c.accept('IF', 'NOT', 'EXISTS');
    const name = nameOf(c);
    c.expect('PROPERTIES');
    const p = c.properties();
    c.end();
    sim.requireAdmin(session);
    const resource = p.storage_resource ?? '';
    if (!sim.world.resources[resource]) throw dorisError(`storage resource doesn't exist: ${resource}`);
    sim.world.storagePolicies[name] = { name, resource, cooldownTtl: p.cooldown_ttl ?? '-1', cooldownDatetime: p.cooldown_datetime ?? '-1', id: allocId(sim.world) };
    sim.changed();
    return ok();
  },
};

export const createCatalog: StatementHandler = {
  name: 'CREATE CATALOG',
  match: (c) => c.at('CREATE', 'CATALOG'),
  run(c, { sim, session }) {
    c.expect('CREATE', 'CATALOG');
    c.accept('IF', 'NOT', 'EXISTS');
    const name = c.ident();
    if (c.accept('COMMENT')) c.string();
    c.expect('PROPERTIES');
    const properties = c.properties();
    c.end();
    sim.requireAdmin(session);
    sim.world.catalogs[name] = { id: allocId(sim.world), name, type: properties.type ?? 'hms', properties, createTime: sim.clock.now() };
    sim.changed();
    return ok();
  },
};

export const showStoragePolicy: StatementHandler = {
  name: 'SHOW STORAGE POLICY',
  match: (c) => c.at('SHOW', 'STORAGE', 'POLICY'),
  run(c, { sim, session }) {
    c.expect('SHOW', 'STORAGE', 'POLICY');
    sim.requireAdmin(session);
    if (c.accept('USING')) {
      const only = c.accept('FOR') ? c.ident() : undefined;
      c.end();
      const out: Cell[][] = [];
      for (const db of Object.values(sim.world.databases))
        for (const t of Object.values(db.tables)) {
          if (t.properties.storage_policy && (!only || only === t.properties.storage_policy)) out.push([t.properties.storage_policy, db.name, t.name, 'ALL']);
          const byPolicy = new Map<string, string[]>();
          for (const p of t.partitions) if (p.storagePolicy && p.storagePolicy !== t.properties.storage_policy) byPolicy.set(p.storagePolicy, [...(byPolicy.get(p.storagePolicy) ?? []), p.name]);
          for (const [policy, parts] of byPolicy) if (!only || only === policy) out.push([policy, db.name, t.name, parts.join(',')]);
        }
      return rows(['PolicyName', 'Database', 'Table', 'Partitions'], out);
    }
    c.end();
    return rows(
      ['PolicyName', 'Type', 'StorageResource', 'CooldownDatetime', 'CooldownTtl', 'properties'],
      Object.values(sim.world.storagePolicies).map((p) => {
        const res = { ...(sim.world.resources[p.resource]?.properties ?? {}) };
        for (const k of Object.keys(res)) if (/secret|password/i.test(k)) res[k] = '******';
        return [p.name, 'STORAGE', p.resource, p.cooldownDatetime, p.cooldownTtl, JSON.stringify(res)];
      }),
    );
  },
};

export const showCatalogs: StatementHandler = {
  name: 'SHOW CATALOGS',
  match: (c) => c.at('SHOW', 'CATALOGS'),
  run(c, { sim }) {
    c.expect('SHOW', 'CATALOGS');
    c.rest();
    const internal: Cell[] = ['0', 'internal', 'internal', 'Yes', 'UNRECORDED', null, 'Doris internal catalog'];
    const external = Object.values(sim.world.catalogs).map((k): Cell[] => [String(k.id), k.name, k.type, '', formatDateTime(k.createTime), formatDateTime(k.createTime), '']);
    return rows(['CatalogId', 'CatalogName', 'Type', 'IsCurrent', 'CreateTime', 'LastUpdateTime', 'Comment'], [internal, ...external]);
  },
};
