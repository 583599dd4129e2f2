// Catalog scale: the real `plan` command (catalog read, target preflight, repository check,
// build-plan, YAML write) against simulated catalogs of 100,000 tables, on 2.1 and 3.0, and
// 1,000 databases x 100 tables. The simulators run in one child process and the planner in
// another, so the planner's peak RSS and CPU are its own; the time the simulators spent answering
// is reported next to it (the simulator stands in for an FE, its speed is not the product's).
// Figures are printed, never asserted.
import { measurePlan, type PlanMeasurement } from './support/catalog-plan.js';
import type { Targets } from './targets.js';

/** Huge catalogs are planned without the per-table temporary-partition probe (see the figures with it). */
const NO_PROBE = ['--no-check-temp-partitions'];

const s = (x: number): number => Number(x.toFixed(2));

function figures(label: string, m: PlanMeasurement): Record<string, string | number> {
  return {
    [`${label}: plan (s)`]: s(m.planSeconds),
    [`${label}: planner CPU (s)`]: s(m.plannerCpuSeconds),
    [`${label}: simulator answering (s)`]: s(m.simulatorAnswerSeconds),
    [`${label}: planner peak RSS (MiB)`]: m.plannerPeakRssMiB,
    [`${label}: SQL round trips (source+target)`]: m.sourceStatements + m.targetStatements,
  };
}

export const targets: Targets = {
  '3.0 200x500x10: plan (s)': { text: '< 30 s', met: (v) => v < 30 },
  '3.0 200x500x10: planner peak RSS (MiB)': { text: '< 1024 MiB', met: (v) => v < 1024 },
  '2.1 200x500x10: plan (s)': { text: '< 30 s', met: (v) => v < 30 },
  '2.1 200x500x10: planner peak RSS (MiB)': { text: '< 1024 MiB', met: (v) => v < 1024 },
  '3.0: round trips, 10x the tables (ratio)': { text: '1.00 (independent of tables)', met: (v) => v === 1 },
};

export async function run(): Promise<Record<string, string | number>> {
  const big30 = await measurePlan('3.0', { databases: 200, tablesPerDatabase: 500, partitionsPerTable: 10 }, { flags: NO_PROBE });
  const small30 = await measurePlan('3.0', { databases: 200, tablesPerDatabase: 50, partitionsPerTable: 10 }, { flags: NO_PROBE });
  const big21 = await measurePlan('2.1', { databases: 200, tablesPerDatabase: 500, partitionsPerTable: 10 }, { flags: NO_PROBE });
  const wide30 = await measurePlan('3.0', { databases: 1000, tablesPerDatabase: 100, partitionsPerTable: 10 }, { flags: NO_PROBE });
  // The probe is one statement per table (Doris has no catalog-wide view of temporary
  // partitions): measured at 10,000 tables, ~150 s at 100,000 against the simulator.
  const probed30 = await measurePlan('3.0', { databases: 200, tablesPerDatabase: 50, partitionsPerTable: 10 });
  const old20 = await measurePlan('2.0', { databases: 20, tablesPerDatabase: 50, partitionsPerTable: 10 });
  const trips = (m: PlanMeasurement) => m.sourceStatements + m.targetStatements;
  return {
    ...figures('3.0 200x500x10', big30),
    '3.0 200x500x10: of which source catalog read (s)': s(big30.catalogReadSeconds),
    '3.0 200x500x10: seed, bench-only bulk path (s)': s(big30.seedSeconds),
    '3.0 200x500x10: plan file (MiB)': big30.planMiB,
    ...figures('2.1 200x500x10', big21),
    ...figures('3.0 1000x100x10', wide30),
    '3.0 200x50x10: SQL round trips': trips(small30),
    '3.0: round trips, 10x the tables (ratio)': s(trips(big30) / trips(small30)),
    '3.0: plan time, 10x the tables (ratio)': s(big30.planSeconds / small30.planSeconds),
    '3.0 200x50x10 with temp-partition probe: plan (s)': s(probed30.planSeconds),
    '3.0 200x50x10 with temp-partition probe: round trips': trips(probed30),
    '3.0 200x50x10 without the probe: plan (s)': s(small30.planSeconds),
    '2.0 20x50x10 (per-table reads): plan (s)': s(old20.planSeconds),
    '2.0 20x50x10: SQL round trips': trips(old20),
  };
}
