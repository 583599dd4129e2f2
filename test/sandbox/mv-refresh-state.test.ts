// mv_infos RefreshState: INIT for a BUILD DEFERRED async MV until it is refreshed, SUCCESS after
// (refreshes finish at once in the simulator); an immediate build counts as refreshed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SQL, testSimulator, type TestSim } from '../support/simulator.js';

let sim: TestSim;
beforeAll(async () => {
  sim = await testSimulator({ version: '3.0', seedSql: DEMO_SQL });
});
afterAll(() => sim.dispose());

const state = async (name: string) => (await sim.query('SELECT Name, RefreshState FROM mv_infos("database" = "analytics")')).find((r) => r.Name === name)?.RefreshState;

describe('async MV refresh state', () => {
  it('is INIT after a deferred build and SUCCESS after REFRESH', async () => {
    expect(await state('daily_revenue')).toBe('SUCCESS');
    await sim.execute('USE analytics; CREATE MATERIALIZED VIEW later BUILD DEFERRED REFRESH AUTO ON MANUAL DISTRIBUTED BY RANDOM BUCKETS 2 PROPERTIES ("replication_num" = "1") AS SELECT region FROM region_sales;');
    expect(await state('later')).toBe('INIT');
    await sim.query('REFRESH MATERIALIZED VIEW analytics.later COMPLETE');
    expect(await state('later')).toBe('SUCCESS');
  });
});
