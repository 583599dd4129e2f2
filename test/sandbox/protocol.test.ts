// The wire layer and privileges, through a real mysql2 client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '2.1', rootPassword: 'r00t' });
  await sim.execute(`
    CREATE DATABASE shop;
    CREATE TABLE shop.t (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
    CREATE USER 'reader'@'%' IDENTIFIED BY 'rpw';
    GRANT SELECT_PRIV ON shop.* TO 'reader'@'%';
    CREATE USER 'loader' IDENTIFIED BY 'lpw';
    GRANT LOAD_PRIV ON internal.shop.* TO loader;
  `);
});
afterAll(() => sim.dispose());

describe('authentication', () => {
  it('accepts the right password and refuses a wrong one with 1045', async () => {
    const c = await sim.connect('root', 'r00t');
    await c.end();
    await expect(sim.connect('root', 'nope')).rejects.toMatchObject({ errno: 1045, sqlState: '28000' });
    await expect(sim.connect('ghost', '')).rejects.toMatchObject({ errno: 1045, sqlState: '28000', message: "Access denied for user 'ghost@127.0.0.1' (using password: NO)" });
  });

  it('honours a default database and refuses an unknown one with 1049', async () => {
    const c = await sim.connect('root', 'r00t', 'shop');
    const [rows] = await c.query('SELECT DATABASE() AS db');
    expect(rows).toEqual([{ db: 'shop' }]);
    await c.end();
    await expect(sim.connect('root', 'r00t', 'nowhere')).rejects.toMatchObject({ errno: 1049, sqlState: '42000' });
  });
});

describe('errors', () => {
  it('answers an unknown statement with a Doris-shaped syntax error, never a hang', async () => {
    const c = await sim.connect();
    const e = await failure(c, 'FROBNICATE EVERYTHING');
    expect(e.errno).toBe(1105);
    expect(e.sqlState).toBe('HY000');
    expect(e.message).toMatch(/^errCode = 2, detailMessage = Syntax error/);
    const [rows] = await c.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: '1' }]);
    await c.end();
  });

  it('reports unknown databases and tables with their MySQL codes', async () => {
    const c = await sim.connect();
    expect(await failure(c, 'SHOW TABLES FROM nowhere')).toMatchObject({ errno: 1049, message: "errCode = 2, detailMessage = Unknown database 'nowhere'" });
    expect(await failure(c, 'SELECT COUNT(*) FROM shop.missing')).toMatchObject({ errno: 1051 });
    expect(await failure(c, 'SHOW DYNAMIC PARTITION TABLES')).toMatchObject({ errno: 1046, message: 'errCode = 2, detailMessage = No database selected' });
    await c.end();
  });

  it('accepts SET statements (they arrive on the prepare path in mysql2)', async () => {
    const c = await sim.connect();
    await c.query("SET time_zone = '+00:00'");
    const [rows] = await c.query('SELECT @@time_zone AS tz');
    expect(rows).toEqual([{ tz: '+00:00' }]);
    await c.query('SET @@session.query_timeout = 3600');
    expect((await c.query('SELECT @@session.query_timeout AS q, @@global.lower_case_table_names AS l'))[0]).toEqual([{ q: '3600', l: '0' }]);
    expect((await c.query("SHOW VARIABLES LIKE 'query_time%'"))[0]).toEqual([{ Variable_name: 'query_timeout', Value: '3600', Default_Value: '900', Changed: '1' }]);
    await c.end();
  });

  it('answers protocol commands it does not implement with an error instead of silence', async () => {
    const c = await sim.connect('root', 'r00t');
    // COM_CHANGE_USER: mysql2's server API would leave it unanswered and the client waiting forever.
    await expect(c.changeUser({ user: 'reader', password: 'rpw' })).rejects.toMatchObject({ errno: 1047, message: 'Unsupported command(COM_CHANGE_USER)' });
    const [rows] = await c.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: '1' }]);
    await c.end();
  });
});

describe('privileges', () => {
  it('refuses cluster facts to a non-admin with 1227 and the 2.1 access-denied text', async () => {
    const c = await sim.connect('reader', 'rpw');
    const e = await failure(c, 'SHOW BACKENDS');
    expect(e.errno).toBe(1227);
    expect(e.message).toContain('Access denied; you need (at least one of) the (ADMIN/NODE) privilege(s) for this operation');
    expect((await failure(c, "SHOW PROC '/colocation_group'")).message).toContain('the (ADMIN) privilege(s)');
    await c.end();
  });

  it('checks ADMIN before the repository name on CREATE REPOSITORY, as Doris analyses it', async () => {
    // CreateRepositoryStmt.analyze: the ADMIN check, then FeNameFormat.checkRepositoryName.
    const c = await sim.connect('reader', 'rpw');
    const e = await failure(c, "CREATE REPOSITORY `9-not-a-name` WITH S3 ON LOCATION 's3://b/x' PROPERTIES ('s3.endpoint' = 'http://127.0.0.1:1')");
    expect(e.message).toContain('the (ADMIN) privilege(s)');
    await c.end();
  });

  it('lets a LOAD-only user load but not create, and shows its grants', async () => {
    const c = await sim.connect('loader', 'lpw');
    await c.query('INSERT INTO shop.t VALUES (1), (2)');
    const e = await failure(c, 'CREATE TABLE shop.u (id INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1');
    expect(e.message).toContain('(CREATE) privilege(s)');
    const [grants] = await c.query('SHOW GRANTS');
    expect((grants as Record<string, string>[])[0]).toMatchObject({ UserIdentity: "'loader'@'%'", DatabasePrivs: 'internal.shop: Load_priv' });
    await c.end();
    expect(await sim.query('SELECT COUNT(*) AS n FROM shop.t')).toEqual([{ n: '2' }]);
  });

  it('hides databases a user has no privilege on', async () => {
    await sim.execute('CREATE DATABASE secret');
    const c = await sim.connect('reader', 'rpw');
    const [dbs] = await c.query('SHOW DATABASES');
    const names = (dbs as { Database: string }[]).map((r) => r.Database);
    expect(names).toContain('shop');
    expect(names).not.toContain('secret');
    await c.end();
  });

  it('refuses a database the user holds no privilege on with 1044, wherever it is named', async () => {
    await sim.execute('CREATE DATABASE IF NOT EXISTS vault; CREATE TABLE vault.v (id INT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
    const denied = { errno: 1044, sqlState: '42000', message: "errCode = 2, detailMessage = Access denied for user 'reader' to database 'vault'" };
    const c = await sim.connect('reader', 'rpw');
    for (const sql of ['USE vault', 'SHOW TABLES FROM vault', 'SHOW CREATE TABLE vault.v', 'SHOW PARTITIONS FROM vault.v', 'SHOW DATA FROM vault.v']) {
      expect(await failure(c, sql), sql).toEqual(denied);
    }
    await c.end();
    await expect(sim.connect('reader', 'rpw', 'vault')).rejects.toMatchObject(denied);
  });

  it('makes an admin with GRANT ADMIN_PRIV ON *.*', async () => {
    await sim.execute("CREATE USER 'boss' IDENTIFIED BY 'bpw'; GRANT ADMIN_PRIV ON *.* TO 'boss'@'%'");
    const c = await sim.connect('boss', 'bpw');
    const [grants] = await c.query('SHOW GRANTS');
    expect((grants as Record<string, string>[])[0]).toMatchObject({ UserIdentity: "'boss'@'%'", GlobalPrivs: 'Admin_priv' });
    const [backends] = await c.query('SHOW BACKENDS');
    expect((backends as unknown[]).length).toBeGreaterThan(0);
    await c.end();
  });
});
