// The shared end-to-end scenarios (test/scenarios) against the simulator: every one of them,
// each on a fresh sandbox. test/real/real-doris.test.ts runs the same list against real Doris.
import { describe, it } from 'vitest';
import { runScenario, scenarioTitle, SCENARIOS } from '../scenarios/index.js';
import { simulatorPair } from './simulator-pair.js';

describe('end-to-end scenarios on the simulator', () => {
  for (const scenario of SCENARIOS) {
    it(scenarioTitle(scenario), async () => {
      const pair = await simulatorPair();
      try {
        await runScenario(pair, scenario);
      } finally {
        await pair.close();
      }
    }, 120_000);
  }
});
