// Names Doris refuses (FeNameFormat), by version and by `enable_unicode_name_support`, over the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { failure, testSimulator, type TestSim } from '../support/simulator.js';

const REPO = `WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.endpoint" = "http://127.0.0.1:1", "s3.access_key" = "a", "s3.secret_key" = "b")`;
const table = (name: string, column = 'id'): string => `CREATE TABLE d.${name} (\`${column}\` INT) DUPLICATE KEY(\`${column}\`) DISTRIBUTED BY HASH(\`${column}\`) BUCKETS 1 PROPERTIES ("replication_num" = "1")`;

describe.each(['2.0', '2.1', '3.0'])('before 4.0 (%s): Unicode names only when the session allows them', (version) => {
  let sim: TestSim;
  let c: mysql.Connection;
  beforeAll(async () => {
    sim = await testSimulator({ version, seedSql: 'CREATE DATABASE d;' });
    c = await sim.connect();
  });
  afterAll(async () => {
    await c.end();
    await sim.dispose();
  });

  it('is off by default and refuses a Unicode table, database, column and partition with Doris texts', async () => {
    expect(await sim.query("SHOW VARIABLES LIKE 'enable_unicode_name_support'")).toEqual([{ Variable_name: 'enable_unicode_name_support', Value: 'false', Default_Value: 'false', Changed: '0' }]);
    expect(await failure(c, table('`Kunden-Ä`'))).toEqual({ errno: 1103, sqlState: '42000', message: "errCode = 2, detailMessage = Incorrect table name 'Kunden-Ä'. Table name regex is '^[a-zA-Z][a-zA-Z0-9-_]*$'" });
    expect(await failure(c, 'CREATE DATABASE `Verkäufe`')).toEqual({ errno: 1102, sqlState: '42000', message: "errCode = 2, detailMessage = Incorrect database name 'Verkäufe'" });
    expect((await failure(c, table('t1', 'Straße'))).message).toBe(`errCode = 2, detailMessage = Incorrect column name 'Straße'. Column regex is '^[_a-zA-Z@0-9\\s/][.a-zA-Z0-9_+-/?@#$%^&*"\\s,:]{0,255}$'`);
    expect(await failure(c, 'CREATE TABLE d.p (k INT) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION `März` VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")')).toEqual({ errno: 1567, sqlState: 'HY000', message: 'errCode = 2, detailMessage = Incorrect partition name' });
    expect((await failure(c, 'CREATE VIEW d.`Übersicht` AS SELECT 1 AS x')).errno).toBe(1103);
  });

  it('refuses names no session can have: a leading digit, a space, a long name, reserved prefixes', async () => {
    expect((await failure(c, table('`1abc`'))).errno).toBe(1103);
    expect((await failure(c, 'CREATE DATABASE `a b`')).errno).toBe(1102);
    expect(await failure(c, table('t' + 'x'.repeat(64)))).toMatchObject({ errno: 5089, message: expect.stringContaining("is 65 which is greater than the configuration 'table_name_length_limit' (64).") });
    expect((await failure(c, table('t2', 'mv_x'))).message).toBe("errCode = 2, detailMessage = Incorrect column name mv_x, column name can't start with 'mv_'/'mva_'");
    expect((await failure(c, 'CREATE TABLE d.p2 (k INT) DUPLICATE KEY(k) PARTITION BY RANGE(k) (PARTITION placeholder_1 VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")')).errno).toBe(1567);
    // A column with a space is fine while the session keeps ASCII names.
    await c.query(table('spaced', 'first name'));
  });

  it('takes them once the session sets enable_unicode_name_support, and only in that session', async () => {
    await c.query('SET enable_unicode_name_support = true');
    expect((await c.query("SHOW VARIABLES LIKE 'enable_unicode_name_support'"))[0]).toEqual([{ Variable_name: 'enable_unicode_name_support', Value: 'true', Default_Value: 'false', Changed: '1' }]);
    await c.query(table('`Kunden-Ä`', 'Straße'));
    await c.query('CREATE DATABASE `Verkäufe`');
    await c.query('CREATE VIEW d.`Übersicht` AS SELECT 1 AS x');
    // Unicode mode has its own column rule: no spaces there.
    expect((await failure(c, table('t3', 'first name'))).message).toBe("errCode = 2, detailMessage = Incorrect column name 'first name'. Column regex is '^[_a-zA-Z@0-9\\p{L}][.a-zA-Z0-9_+-/?@#$%^&*\\p{L}]{0,255}$'");
    expect((await failure(c, table('`Kunden Ä`'))).message).toBe("errCode = 2, detailMessage = Incorrect table name 'Kunden Ä'. Table name regex is '^[a-zA-Z\\p{L}][a-zA-Z0-9-_\\p{L}]*$'");
    // Another connection still has the default.
    const other = await sim.connect();
    try {
      expect((await failure(other, table('`Preis-€`'))).errno).toBe(1103);
    } finally {
      await other.end();
    }
  });

  it('checks snapshot labels and repository names the same way', async () => {
    // This connection allows Unicode names (set above): so does its label rule.
    expect((await failure(c, 'BACKUP SNAPSHOT d.`bad label` TO r')).message).toBe('errCode = 2, detailMessage = Label format error. regex: ^[-_A-Za-z0-9:\\p{L}]{1,128}$, label: bad label');
    const other = await sim.connect();
    try {
      expect((await failure(other, 'RESTORE SNAPSHOT d.`bad label` FROM r PROPERTIES ("backup_timestamp" = "x")')).message).toBe('errCode = 2, detailMessage = Label format error. regex: ^[-_A-Za-z0-9:]{1,128}$, label: bad label');
      const repo = await failure(other, `CREATE REPOSITORY \`9bad\` ${REPO}`);
      expect(repo).toEqual({
        errno: 5063, sqlState: '42000',
        message: version === '3.0' ? "errCode = 2, detailMessage = Incorrect repository name '9bad', required format is '^[a-zA-Z][a-zA-Z0-9-_]{0,63}$'" : "errCode = 2, detailMessage = Incorrect repository name '9bad'",
      });
    } finally {
      await other.end();
    }
  });
});

describe('4.0: Unicode names by default, and the newest rules', () => {
  let sim: TestSim;
  let c: mysql.Connection;
  beforeAll(async () => {
    sim = await testSimulator({ version: '4.0', seedSql: 'CREATE DATABASE d;' });
    c = await sim.connect();
  });
  afterAll(async () => {
    await c.end();
    await sim.dispose();
  });

  it('takes Unicode names and any table name not ending in white space', async () => {
    expect((await sim.query("SHOW VARIABLES LIKE 'enable_unicode_name_support'"))[0]?.Value).toBe('true');
    await c.query(table('`Kunden-Ä`', 'Straße'));
    await c.query(table('`Kunden Ä`', 'first name'));
    await c.query(table('`1abc`', 'weird``name'));
    expect(await failure(c, table('`trailing `'))).toEqual({ errno: 1105, sqlState: '42000', message: "errCode = 2, detailMessage = Incorrect table name 'trailing '. Table name regex is '^[\\s\\S]*[\\S]$'" });
    expect((await failure(c, 'CREATE DATABASE `a b`')).message).toBe("errCode = 2, detailMessage = Incorrect database name 'a b'");
    expect((await failure(c, table('t4', '__DORIS_x'))).message).toBe("errCode = 2, detailMessage = Incorrect column name __DORIS_x, column name can't start with '__DORIS_'");
  });

  it('refuses them when the session turns the variable off', async () => {
    const other = await sim.connect();
    try {
      await other.query('SET enable_unicode_name_support = false');
      expect((await failure(other, table('`Preis-€`'))).message).toBe("errCode = 2, detailMessage = Incorrect table name 'Preis-€'. Table name regex is '^[a-zA-Z0-9\\-_$]*$'");
      await other.query(table('`1$abc`'));
      expect((await failure(other, `CREATE REPOSITORY \`9bad\` ${REPO}`)).message).toBe("errCode = 2, detailMessage = Incorrect repository name '9bad', required format is '^[a-zA-Z][a-zA-Z0-9\\-_]{0,255}$'");
    } finally {
      await other.end();
    }
  });
});
