// The reader accepts every form Doris prints: AUTO PARTITION heads, LIST with a space before its
// columns, and colocation group names as each version shows them.
import { describe, expect, it } from 'vitest';
import { parseCreateTable } from '../../src/catalog/parse-create-table.js';
import { bareGroupName } from '../../src/catalog/reader.js';

const ddl = (head: string) => `CREATE TABLE \`t\` (\n  \`ts\` datetime NOT NULL\n) ENGINE=OLAP\nDUPLICATE KEY(\`ts\`)\nCOMMENT ''\n${head}\n(PARTITION p20240101000000 VALUES [("2024-01-01 00:00:00"), ("2024-02-01 00:00:00")))\nDISTRIBUTED BY HASH(\`ts\`) BUCKETS 1\nPROPERTIES (\n"replication_allocation" = "tag.location.default: 1"\n);`;

describe('SHOW CREATE TABLE partition heads', () => {
  it.each([
    ["AUTO PARTITION BY RANGE (date_trunc(`ts`, 'month'))", 'RANGE'],
    ['AUTO PARTITION BY LIST (`ts`)', 'LIST'],
    ['PARTITION BY LIST (`ts`)', 'LIST'],
    ['PARTITION BY RANGE(`ts`)', 'RANGE'],
  ])('%s reads as partitioned by ts', (head, type) => {
    expect(parseCreateTable(ddl(head))).toMatchObject({ partitionType: type, partitionColumns: ['ts'] });
  });
});

describe('colocation group names', () => {
  it.each([
    ['10005_g1', 'g1'],
    ['shop.g1', 'g1'],
    ['__global__g1', '__global__g1'],
    ['shop.10005_g1', '10005_g1'],
  ])('%s is the group the DDL calls %s', (shown, bare) => {
    expect(bareGroupName(shown, '10005', 'shop')).toBe(bare);
  });
});
