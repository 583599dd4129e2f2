// The end-to-end scenarios, one list for both suites: test/e2e/simulator.test.ts runs every one
// against the sandbox, test/real/real-doris.test.ts the same list against docker-compose.test.yml
// (leaving out, and naming, the simulator-only ones).
import { catchUpAfterMigration } from './catch-up.js';
import { demoCatalog } from './full-migration.js';
import { colocateGroupRestored, dynamicPartitionReEnabled, mvRecreated } from './followups.js';
import type { Scenario } from './harness.js';
import { conflictsRefused, renamedDatabase, splitByPartitions } from './plan-choices.js';
import { resumeAfterKill, retryUnderNewLabel } from './resume.js';

export type { Scenario } from './harness.js';
export { runScenario } from './harness.js';

export const SCENARIOS: readonly Scenario[] = [
  demoCatalog,
  resumeAfterKill,
  retryUnderNewLabel,
  conflictsRefused,
  renamedDatabase,
  splitByPartitions,
  dynamicPartitionReEnabled,
  colocateGroupRestored,
  mvRecreated,
  catchUpAfterMigration,
];

/** The test title both suites give a scenario: the list comparison test reads these. */
export const scenarioTitle = (s: Scenario): string => `${s.name}: ${s.proves}`;
