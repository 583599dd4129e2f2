// The shared end-to-end scenarios (test/scenarios) against real Apache Doris from
// docker-compose.test.yml: `DORIS_REAL=1 npm run test:real`. Without DORIS_REAL=1 every scenario
// is reported as skipped with the reason; scenarios that need a simulator-only fault are skipped
// with theirs. test/e2e/simulator.test.ts runs the same list against the simulator.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ClusterPair } from '../scenarios/pair.js';
import { runScenario, scenarioTitle, SCENARIOS } from '../scenarios/index.js';
import { realDorisEnv, skipReason } from './env.js';
import { realPair } from './real-pair.js';

const env = realDorisEnv(process.env);
const notRunning = skipReason(env);

describe('end-to-end scenarios on real Doris', () => {
  let pair: ClusterPair | undefined;
  beforeAll(async () => {
    if (notRunning) console.warn(`real-Doris suite skipped: ${notRunning}`);
    else pair = await realPair(env);
  }, 300_000);
  afterAll(() => pair?.close());

  for (const scenario of SCENARIOS) {
    it(scenarioTitle(scenario), async (ctx) => {
      if (notRunning) return ctx.skip(notRunning);
      if (scenario.simulatorOnly) return ctx.skip(`left out on real Doris: ${scenario.simulatorOnly}`);
      await runScenario(pair!, scenario);
    }, 20 * 60_000);
  }
});
