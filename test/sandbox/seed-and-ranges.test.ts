// Seed scripts split the way Doris clients send them, and RANGE partitions get Doris's bounds
// when LESS THAN and [lo, hi) forms mix (each LESS THAN starts at the highest upper bound below it).
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { failure, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '2.1' });
});
afterAll(() => sim.dispose());

const rangesOf = async (table: string): Promise<[string, string][]> =>
  (await sim.query(`SHOW PARTITIONS FROM ${table}`)).map((r) => [r.PartitionName!, r.Range!]);
const range = (lo: string, hi: string): string => `[types: [INT]; keys: [${lo}]; ..types: [INT]; keys: [${hi}]; )`;

describe('seed scripts', () => {
  it('split on top-level semicolons only: not inside strings, quoted names or comments', async () => {
    // 4.0 takes any table name not ending in white space (a semicolon too); no line takes one in a database name.
    const sim = await testSimulator({ version: '4.0' });
    onTestFinished(() => sim.dispose());
    await sim.execute(`
      -- a comment; with a semicolon
      CREATE DATABASE \`semi-colon\`; # another; comment
      /* block; comment */ CREATE TABLE \`semi-colon\`.\`t;1\` (
        id INT NOT NULL COMMENT 'it''s; quoted',
        note VARCHAR(40) DEFAULT "a;b"
      ) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1");
      INSERT INTO \`semi-colon\`.\`t;1\` VALUES (1, 'x;y'), (2, 'it\\'s;'), (3, "q\\";")
    `);
    expect(await sim.query('SELECT * FROM `semi-colon`.`t;1` ORDER BY id')).toEqual([
      { id: '1', note: 'x;y' },
      { id: '2', note: "it's;" },
      { id: '3', note: 'q";' },
    ]);
  });
});

describe('RANGE partitions', () => {
  it('start a LESS THAN partition at the upper bound of a preceding [lo, hi) partition', async () => {
    await sim.execute(`CREATE DATABASE r; CREATE TABLE r.mixed (k INT NOT NULL) DUPLICATE KEY(k) PARTITION BY RANGE(k) (
      PARTITION p1 VALUES [("10"), ("20")), PARTITION p2 VALUES LESS THAN ("30"), PARTITION pmax VALUES LESS THAN MAXVALUE
    ) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    expect(await rangesOf('r.mixed')).toEqual([['p1', range('10', '20')], ['p2', range('20', '30')], ['pmax', range('30', '2147483647')]]);
    await sim.execute('INSERT INTO r.mixed VALUES (25), (40)');
    expect(await sim.query('SELECT COUNT(*) AS n FROM r.mixed PARTITION (p2)')).toEqual([{ n: '1' }]);
  });

  it('fill a gap between existing ranges with ADD PARTITION ... LESS THAN', async () => {
    await sim.execute(`CREATE TABLE r.gap (k INT NOT NULL) DUPLICATE KEY(k) PARTITION BY RANGE(k) (
      PARTITION a VALUES [("0"), ("10")), PARTITION c VALUES [("20"), ("30"))
    ) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
    await sim.execute('ALTER TABLE r.gap ADD PARTITION b VALUES LESS THAN ("20")');
    expect(await rangesOf('r.gap')).toEqual([['a', range('0', '10')], ['c', range('20', '30')], ['b', range('10', '20')]]);
  });

  it('refuse a LESS THAN that falls inside an existing range', async () => {
    const c = await sim.connect();
    try {
      const e = await failure(c, `CREATE TABLE r.bad (k INT NOT NULL) DUPLICATE KEY(k) PARTITION BY RANGE(k) (
        PARTITION p1 VALUES LESS THAN ("30"), PARTITION p2 VALUES LESS THAN ("20")
      ) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`);
      expect(e).toMatchObject({ errno: 1105, message: expect.stringMatching(/^errCode = 2, detailMessage = Range .* is intersected with range of partition p2$/) });
    } finally {
      await c.end();
    }
  });
});
