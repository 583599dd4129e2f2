// The plan reads the whole RESTORE signature of a table that exists on both sides: rollups
// (DESC ALL), INDEX definitions, bloom filter, and the bucket count of partitions both have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTargetFacts } from '../../src/catalog/preflight.js';
import { readCatalog } from '../../src/catalog/reader.js';
import { clientFor } from '../support/client.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

const table = (name: string, extra = '', buckets = 2, props = '') => `CREATE TABLE d.${name} (k INT NOT NULL, s VARCHAR(8)${extra}) DUPLICATE KEY(k)
PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(k) BUCKETS ${buckets} PROPERTIES ("replication_num" = "1"${props});`;

const SOURCE = `CREATE DATABASE d;
${table('same')}
${table('rolled')}
ALTER TABLE d.rolled ADD ROLLUP r1 (k);
${table('indexed', ", INDEX i_s (s) USING INVERTED COMMENT ''")}
${table('bloomed', '', 2, ', "bloom_filter_columns" = "s"')}
${table('bucketed')}`;
const TARGET = `CREATE DATABASE d;
${table('same')}
${table('rolled')}
${table('indexed')}
${table('bloomed')}
${table('bucketed', '', 4)}`;

let source: TestSim;
let target: TestSim;
beforeAll(async () => {
  [source, target] = await Promise.all([testSimulator({ version: '2.1.7', seedSql: SOURCE }), testSimulator({ version: '3.0', seedSql: TARGET })]);
});
afterAll(async () => {
  await source.dispose();
  await target.dispose();
});

describe('existing tables on the target', () => {
  it('differ in whatever part of the signature Doris would refuse', async () => {
    const [src, dst] = [clientFor(source), clientFor(target)];
    try {
      const facts = await readTargetFacts(dst, await readCatalog(src), { d: 'd' }, src);
      expect(Object.fromEntries(facts.existingTables.map((t) => [t.name, t.difference]))).toEqual({
        same: undefined,
        rolled: 'rollups differ: source (r1), target (none)',
        indexed: 'indexes differ: source (i_s (`s`) USING INVERTED), target (none)',
        bloomed: 'bloom filter differs: source (s fpp 0.05), target (none)',
        bucketed: expect.stringMatching(/bucket count differs: 2 vs 4|partition p1 has 2 buckets on the source, 4 on the target/),
      });
    } finally {
      await src.close();
      await dst.close();
    }
  });
});
