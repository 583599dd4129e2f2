// The reader streams information_schema rows when the client can; a client that only answers
// whole results (wrappers in tests and benches) reads the very same catalog, in as many trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/reader.js';
import type { DorisClient } from '../../src/doris/client.js';
import { clientFor } from '../support/client.js';
import { DEMO_SQL, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '3.0', seedSql: DEMO_SQL });
});
afterAll(() => sim.dispose());

/** The same connection without `each`: every read comes back whole. */
const wholeResults = (inner: DorisClient): DorisClient => ({
  address: inner.address,
  query: (sql) => inner.query(sql),
  get roundTrips() {
    return inner.roundTrips;
  },
  close: () => inner.close(),
});

describe('streamed and whole reads', () => {
  it('give the same catalog for the same round trips', async () => {
    const streaming = clientFor(sim);
    const whole = wholeResults(clientFor(sim));
    try {
      expect('each' in streaming).toBe(true);
      const a = await readCatalog(streaming, { probeTemporaryPartitions: true });
      const b = await readCatalog(whole, { probeTemporaryPartitions: true });
      expect(a).toEqual(b);
      expect(streaming.roundTrips).toBe(whole.roundTrips);
      expect(a.databases.flatMap((d) => d.tables).some((t) => t.tempPartitions.length > 0)).toBe(true);
    } finally {
      await Promise.all([streaming.close(), whole.close()]);
    }
  });
});
