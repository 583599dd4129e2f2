// A real DorisClient against a test simulator.
import { connect } from '../../src/doris/connection.js';
import type { DorisClient } from '../../src/doris/client.js';
import type { Simulator } from '../../src/sandbox/index.js';

export const clientFor = (sim: Simulator, user = sim.user, password = sim.password): DorisClient =>
  connect({ host: sim.host, port: sim.port, user, password, attempts: 3, backoffMs: 20 });
