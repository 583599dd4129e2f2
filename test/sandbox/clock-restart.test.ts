// A real FE's wall clock runs on while it is down: a restarted simulator's clock continues from the
// time that passed (scaled), so a job whose timeout ran out meanwhile is cancelled as Doris does.
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/sandbox/clock.js';
import { rowsOf, waitJob } from '../support/jobs.js';
import { testSimulator } from '../support/simulator.js';

describe('the simulated clock across a restart', () => {
  it('adds the real time since its last reading, scaled; not when paused, not for a reading without its real time', () => {
    let real = 1_000_000;
    const before = new SimClock({ simMs: 5_000, scale: 10, paused: false }, () => real);
    real += 300;
    const saved = before.state();
    expect(saved).toEqual({ simMs: 8_000, realMs: 1_000_300, scale: 10, paused: false });
    real += 2_000;
    expect(new SimClock(saved, () => real).now()).toBe(28_000);
    expect(new SimClock({ ...saved, paused: true }, () => real).now()).toBe(8_000);
    expect(new SimClock({ simMs: 8_000, scale: 10, paused: false }, () => real).now()).toBe(8_000);
    // A real clock set back while it was down moves nothing backwards.
    expect(new SimClock(saved, () => saved.realMs! - 60_000).now()).toBe(8_000);
  });

  it('a BACKUP whose timeout runs out while the FE is down is cancelled for timeout after the restart', async () => {
    const t0 = Date.now();
    // A real clock that stands still: the simulated one moves only by the restart's down time.
    const first = await testSimulator({ version: '2.1', realClock: () => t0 });
    const c = await first.connect();
    try {
      await c.query('CREATE DATABASE d');
      await c.query('CREATE TABLE d.t (k INT NOT NULL) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")');
      await c.query('CREATE REPOSITORY r WITH HDFS ON LOCATION "hdfs://nn:8020/r" PROPERTIES ("fs.defaultFS" = "hdfs://nn:8020")');
      await c.query('BACKUP SNAPSHOT d.b1 TO r PROPERTIES ("timeout" = "600")');
      expect((await rowsOf(c, 'SHOW BACKUP FROM d')).at(-1)).toMatchObject({ State: 'PENDING', Timeout: '600' });
    } finally {
      await c.end();
      await first.stop();
    }
    // Down for 11 minutes.
    const again = await testSimulator({ version: '2.1', dataDir: first.dataDir, realClock: () => t0 + 11 * 60_000 });
    const c2 = await again.connect();
    try {
      expect(await waitJob(c2, 'BACKUP', 'd')).toMatchObject({ State: 'CANCELLED', Status: '[TIMEOUT, msg: ]' });
    } finally {
      await c2.end();
      await again.dispose();
    }
  });
});
