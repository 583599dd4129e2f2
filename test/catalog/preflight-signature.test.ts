// The plan reads the whole RESTORE signature of a table that exists on both sides: rollups
// (DESC ALL), INDEX definitions, bloom filter, and the bucket count of partitions both have; a
// few tables at a time, with the results and the first error of reading them one at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTargetFacts } from '../../src/catalog/preflight.js';
import { readCatalog } from '../../src/catalog/reader.js';
import type { DorisClient } from '../../src/doris/client.js';
import type { Row } from '../../src/doris/parse-results.js';
import { clientFor, wrapClient } from '../support/client.js';
import { testSimulator, type TestSim } from '../support/simulator.js';

const table = (name: string, extra = '', buckets = 2, props = '') => `CREATE TABLE d.${name} (k INT NOT NULL, s VARCHAR(8)${extra}) DUPLICATE KEY(k)
PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN ("10")) DISTRIBUTED BY HASH(k) BUCKETS ${buckets} PROPERTIES ("replication_num" = "1"${props});`;

/** Tables alike on both sides: each has its whole signature read. */
const ALIKE_NAMES = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const ALIKE = ALIKE_NAMES.map((n) => table(n)).join('\n');

const SOURCE = `CREATE DATABASE d;
${table('same')}
${table('rolled')}
ALTER TABLE d.rolled ADD ROLLUP r1 (k);
${table('indexed', ", INDEX i_s (s) USING INVERTED COMMENT ''")}
${table('bloomed', '', 2, ', "bloom_filter_columns" = "s"')}
${table('bucketed')}
${ALIKE}`;
const TARGET = `CREATE DATABASE d;
${table('same')}
${table('rolled')}
${table('indexed')}
${table('bloomed')}
${table('bucketed', '', 4)}
${ALIKE}`;

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
        ...Object.fromEntries(ALIKE_NAMES.map((n) => [n, undefined])),
      });
    } finally {
      await src.close();
      await dst.close();
    }
  });
});

/** Both clients taking one statement at a time between them: the signatures read one table after another. */
function oneAtATime(clients: DorisClient[]): DorisClient[] {
  let queue: Promise<unknown> = Promise.resolve();
  return clients.map((c) =>
    wrapClient(c, (statement) => {
      const next = queue.then(() => c.query(statement));
      queue = next.catch(() => undefined);
      return next;
    }),
  );
}

/** `inner`, failing DESC ALL of the tables named, and counting DESC ALL statements in flight. */
function failing(inner: DorisClient, fail: (table: string, statement: () => Promise<Row[]>) => Promise<Row[]>) {
  const counts = { inFlight: 0, max: 0 };
  const client = wrapClient(inner, async (statement) => {
    const table = /^DESC `d`\.`([^`]+)` ALL$/.exec(statement)?.[1];
    if (table === undefined) return inner.query(statement);
    counts.max = Math.max(counts.max, ++counts.inFlight);
    try {
      return await fail(table, () => inner.query(statement));
    } finally {
      counts.inFlight--;
    }
  });
  return { client, counts };
}

describe('reading the signatures a few tables at a time', () => {
  it('finds what reading them one at a time finds, in the same order, with four in flight', async () => {
    const [src, dst] = [clientFor(source), clientFor(target)];
    try {
      const catalog = await readCatalog(src);
      const [oneSrc, oneDst] = oneAtATime([src, dst]);
      const sequential = await readTargetFacts(oneDst!, catalog, { d: 'd' }, oneSrc);
      const watched = failing(src, (_table, run) => run());
      const pooled = await readTargetFacts(dst, catalog, { d: 'd' }, watched.client);
      expect(pooled.existingTables).toEqual(sequential.existingTables);
      expect(pooled.existingTables.map((t) => t.name)).toEqual(catalog.databases.find((d) => d.name === 'd')!.tables.map((t) => t.name));
      expect(watched.counts.max).toBe(4);
    } finally {
      await src.close();
      await dst.close();
    }
  });

  it('fails with the error of the first failing table in plan order, though a later one failed first', async () => {
    const [src, dst] = [clientFor(source), clientFor(target)];
    try {
      const catalog = await readCatalog(src);
      const names = catalog.databases.find((d) => d.name === 'd')!.tables.map((t) => t.name).filter((n) => ALIKE_NAMES.includes(n));
      const [first, second] = [names[0]!, names[1]!];
      const refuse = (table: string) => Promise.reject(new Error(`DESC ${table} refused`));
      // One at a time, the first fails and the second is never asked.
      const [oneSrc, oneDst] = oneAtATime([failing(src, (t, run) => ([first, second].includes(t) ? refuse(t) : run())).client, dst]);
      const sequential = await readTargetFacts(oneDst!, catalog, { d: 'd' }, oneSrc).then(() => 'no error', (e: Error) => e.message);
      expect(sequential).toBe(`DESC ${first} refused`);
      // A few at a time, the second's refusal comes back before the first's.
      let secondRefused!: () => void;
      const afterSecond = new Promise<void>((resolve) => (secondRefused = resolve));
      const pooled = failing(src, async (t, run) => {
        if (t === second) return refuse(t).finally(secondRefused);
        if (t === first) return afterSecond.then(() => refuse(t));
        return run();
      });
      await expect(readTargetFacts(dst, catalog, { d: 'd' }, pooled.client)).rejects.toThrow(sequential);
    } finally {
      await src.close();
      await dst.close();
    }
  });
});
