// Catalog scale: the real `plan` command in its default mode (catalog read with the temporary-
// partition check, target preflight, repository check, build-plan, YAML write) against simulated
// catalogs of 100,000 tables on 3.0 (with BENCH_FULL=1 also on 2.1, and 1,000 databases x 100
// tables), 10,000 tables for the growth ratio, and a 2.0 catalog read per table. One table in a
// thousand has a temporary partition, which the plan must find and leave out. The simulators run
// in one child process and the planner in another, so the planner's peak RSS and CPU are its own;
// the time the simulators spent answering is reported next to it (the simulator stands in for an
// FE, its speed is not the product's). Figures are printed, never asserted.
import { measurePlan, type PlanMeasurement } from './support/catalog-plan.js';

const s = (x: number): number => Number(x.toFixed(2));

const TEMP_EVERY = 1000;

function figures(label: string, m: PlanMeasurement): Record<string, string | number> {
  return {
    [`${label}: plan, default mode (s)`]: s(m.planSeconds),
    [`${label}: planner CPU (s)`]: s(m.plannerCpuSeconds),
    [`${label}: simulator answering (s)`]: s(m.simulatorAnswerSeconds),
    [`${label}: simulator CPU (s)`]: s(m.simulatorCpuSeconds),
    [`${label}: planner peak RSS (MiB)`]: m.plannerPeakRssMiB,
    [`${label}: SQL round trips (source+target)`]: m.sourceStatements + m.targetStatements,
    // The first table of each catalog is the seed's template and has none: one in a thousand of the others.
    [`${label}: tables left out for temporary partitions (seeded ${Math.floor((m.tables - 1) / TEMP_EVERY)})`]: m.tempPartitionExclusions,
  };
}

export async function run(): Promise<Record<string, string | number>> {
  const shape = (databases: number, tablesPerDatabase: number) => ({ databases, tablesPerDatabase, partitionsPerTable: 10, tempPartitionEvery: TEMP_EVERY });
  const big30 = await measurePlan('3.0', shape(200, 500));
  const small30 = await measurePlan('3.0', shape(200, 50));
  // The 2.1 and 1,000-database variants take a minute each on a shared machine: BENCH_FULL=1.
  const full = process.env.BENCH_FULL === '1';
  const big21 = full ? await measurePlan('2.1', shape(200, 500)) : undefined;
  const wide30 = full ? await measurePlan('3.0', shape(1000, 100)) : undefined;
  const old20 = await measurePlan('2.0', shape(20, 50));
  const old20NoProbe = await measurePlan('2.0', shape(20, 50), { flags: ['--no-check-temp-partitions'] });
  const trips = (m: PlanMeasurement) => m.sourceStatements + m.targetStatements;
  return {
    'plan 100,000 tables, default mode (s)': s(big30.planSeconds),
    'peak RSS (MiB)': big30.plannerPeakRssMiB,
    ...figures('3.0 200x500x10', big30),
    '3.0 200x500x10: of which source catalog read (s)': s(big30.catalogReadSeconds),
    '3.0 200x500x10: seed, bench-only bulk path (s)': s(big30.seedSeconds),
    '3.0 200x500x10: plan file (MiB)': big30.planMiB,
    ...(big21 ? figures('2.1 200x500x10', big21) : {}),
    ...(wide30 ? figures('3.0 1000x100x10', wide30) : {}),
    '3.0 200x50x10: SQL round trips': trips(small30),
    '3.0: round trips, 10x the tables (ratio)': s(trips(big30) / trips(small30)),
    '3.0: plan time, 10x the tables (ratio)': s(big30.planSeconds / small30.planSeconds),
    '2.0 20x50x10 (per-table reads): plan, default mode (s)': s(old20.planSeconds),
    '2.0 20x50x10: SQL round trips, default mode': trips(old20),
    '2.0 20x50x10: plan with the temp-partition probe off (--no-check-temp-partitions) (s)': s(old20NoProbe.planSeconds),
    '2.0 20x50x10: SQL round trips, probe off': trips(old20NoProbe),
  };
}
