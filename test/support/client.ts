// A real DorisClient against a test simulator.
import { connect } from '../../src/doris/connection.js';
import type { DorisClient } from '../../src/doris/client.js';
import type { Row } from '../../src/doris/parse-results.js';
import type { Simulator } from '../../src/sandbox/index.js';

export const clientFor = (sim: Simulator, user = sim.user, password = sim.password): DorisClient =>
  connect({ host: sim.host, port: sim.port, user, password, attempts: 3, backoffMs: 20 });

/** `inner` with its statements passed through `query` (to watch, delay or fail them); the rest is `inner`'s. */
export const wrapClient = (inner: DorisClient, query: (sql: string) => Promise<Row[]>): DorisClient => ({
  address: inner.address,
  get roundTrips() {
    return inner.roundTrips;
  },
  query,
  close: () => inner.close(),
});
