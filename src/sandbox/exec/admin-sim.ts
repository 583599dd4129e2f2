// Simulator-only statements (`ADMIN SIM ...`): faults and clock control for tests and benchmarks.
// Real Doris has none of these; each is documented in src/sandbox/README.md.
import { formatDateTime } from '../format.js';
import { ok, rows, type StatementHandler } from '../engine.js';
import { dorisError } from '../errors.js';

export const adminSim: StatementHandler = {
  name: 'ADMIN SIM',
  match: (c) => c.at('ADMIN', 'SIM'),
  run(c, { sim, session }) {
    c.expect('ADMIN', 'SIM');
    sim.requireAdmin(session);
    if (c.accept('DROP', 'CONNECTIONS')) {
      c.end();
      // Reply first, then cut every socket (including this one) on the next tick.
      setTimeout(() => sim.wire?.dropConnections(), 20).unref();
      return ok();
    }
    if (c.accept('REFUSE', 'CONNECTIONS', 'FOR')) {
      const seconds = c.number();
      c.end();
      sim.wire?.refuseUntil(Date.now() + seconds * 1000);
      return ok();
    }
    if (c.accept('SET', 'ALIVE', 'BACKENDS')) {
      const n = c.number();
      c.end();
      if (!Number.isInteger(n) || n < 0) throw dorisError('alive backends must be a non-negative integer');
      sim.world.backends = { total: Math.max(sim.world.backends.total, n), alive: n };
      sim.changed();
      return ok();
    }
    if (c.accept('PAUSE', 'CLOCK')) return c.end(), sim.clock.pause(), sim.changed(), ok();
    if (c.accept('RESUME', 'CLOCK')) return c.end(), sim.clock.resume(), sim.changed(), ok();
    if (c.accept('SET', 'TIME', 'SCALE')) {
      const x = c.number();
      c.end();
      sim.clock.setScale(x);
      sim.changed();
      return ok();
    }
    if (c.accept('ADVANCE', 'CLOCK')) {
      const seconds = c.number();
      c.end();
      sim.clock.advance(seconds * 1000);
      sim.changed();
      return ok();
    }
    if (c.accept('SHOW', 'CLOCK')) {
      c.end();
      const now = sim.clock.now();
      return rows(['Now', 'EpochMs', 'Scale', 'Paused'], [[formatDateTime(now), String(now), String(sim.clock.scale), String(sim.clock.paused)]]);
    }
    if (c.accept('COOL')) {
      // Marks a table's (or one partition's) data as moved to remote storage by its policy.
      c.expect('TABLE');
      const { table } = sim.table(c.qualified(), session);
      const only = c.accept('PARTITION') ? c.ident() : undefined;
      c.end();
      for (const p of table.partitions) if (!only || p.name === only) p.cooled = true;
      sim.changed();
      return ok();
    }
    for (const ext of sim.adminSimExtensions) {
      const result = ext(c, { sim, session });
      if (result) return result;
    }
    throw c.error();
  },
};
