// Quoting and statement builders: every identifier through quoteIdent, every value through quoteString.
import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteString } from '../../src/doris/quote.js';
import { sql } from '../../src/doris/sql.js';
import { parseSize, parseSnapshotRow, replicaTotal, statusMessage } from '../../src/doris/parse-results.js';
import { crossVersionProblem, parseVersionComment } from '../../src/doris/capabilities.js';

describe('quoting', () => {
  it.each([
    ['orders', '`orders`'],
    ['my-db', '`my-db`'],
    ['select', '`select`'],
    ['odd`name', '`odd``name`'],
    ['データ', '`データ`'],
  ])('quotes %s as %s', (name, quoted) => expect(quoteIdent(name)).toBe(quoted));

  it('refuses names Doris cannot hold', () => {
    expect(() => quoteIdent('')).toThrow('an empty name');
    expect(() => quoteIdent('a\0b')).toThrow('NUL');
  });

  it('escapes string literals', () => expect(quoteString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"'));
});

describe('statement builders', () => {
  it('build the canonical BACKUP and RESTORE forms', () => {
    expect(sql.backup({ database: 'sales-eu', label: 'mig_sales_b1_a1', repository: 'mig_repo', tables: [{ name: 'orders', partitions: ['p1', 'p2'] }, { name: 'select' }], properties: { timeout: '86400' } })).toBe(
      'BACKUP SNAPSHOT `sales-eu`.`mig_sales_b1_a1` TO `mig_repo` ON (`orders` PARTITION (`p1`, `p2`), `select`) PROPERTIES ("timeout" = "86400")',
    );
    expect(sql.restore({ database: 'dst', label: 'l1', repository: 'r', tables: [{ name: 't', alias: 't_new' }], properties: { backup_timestamp: '2026-11-24-10-00-01', replication_num: '3' } })).toBe(
      'RESTORE SNAPSHOT `dst`.`l1` FROM `r` ON (`t` AS `t_new`) PROPERTIES ("backup_timestamp" = "2026-11-24-10-00-01", "replication_num" = "3")',
    );
    expect(sql.createRepository({ name: 'r', readOnly: true, storageType: 'S3', location: 's3://b/p', properties: { 's3.endpoint': 'http://x' } })).toBe(
      'CREATE READ ONLY REPOSITORY `r` WITH S3 ON LOCATION "s3://b/p" PROPERTIES ("s3.endpoint" = "http://x")',
    );
    expect(sql.showSnapshot('r', 'l"1')).toBe('SHOW SNAPSHOT ON `r` WHERE SNAPSHOT = "l\\"1"');
    expect(sql.showBackup('a`b', 'x')).toBe('SHOW BACKUP FROM `a``b` WHERE SnapshotName = "x"');
    expect(sql.showProcDatabase('10005')).toBe("SHOW PROC '/dbs/10005'");
    expect(() => sql.showProcDatabase("1' OR '1")).toThrow('is not a Doris database id');
  });
});

describe('parsing', () => {
  it('reads Doris sizes, allocations, statuses and versions', () => {
    expect(parseSize('1.400 KB')).toBe(1434);
    expect(parseSize('0.000 ')).toBe(0);
    expect(parseSize('60.000 GB')).toBe(60 * 1024 ** 3);
    expect(replicaTotal('tag.location.zone1: 1, tag.location.zone2: 2')).toBe(3);
    expect(statusMessage('[OK]')).toBe('');
    expect(statusMessage('[COMMON_ERROR, msg: errCode = 2, detailMessage = replication num should be less than the number of available backends]')).toBe('replication num should be less than the number of available backends');
    expect(parseSnapshotRow({ Snapshot: 'l', Timestamp: '2026-01-01-00-00-00\n2026-01-02-00-00-00', Status: 'OK' }).timestamp).toBe('2026-01-02-00-00-00');
    expect(parseVersionComment('Doris version doris-3.0.3-rc03-43f06a5e26 (Cloud Mode)')).toMatchObject({ major: 3, minor: 0, patch: 3, cloud: true });
    expect(parseVersionComment('5.7.99')).toBeUndefined();
  });

  it('knows which cross-version restores cannot work', () => {
    const v = (s: string) => parseVersionComment(`doris-${s}`)!;
    expect(crossVersionProblem(v('2.1.7'), v('3.0.3'))).toBeUndefined();
    expect(crossVersionProblem(v('2.1.7'), v('4.0.1'))).toContain('migrate to a 3.x cluster first');
    expect(crossVersionProblem(v('3.0.3'), v('2.1.7'))).toContain('downgrades are not supported');
  });
});
