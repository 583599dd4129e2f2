// `doris-migrate catch-up PLAN`: read the source now, compare it with what PLAN's finished run
// copied, and write a plan of only what changed since (plans/<name>-catchup-<n>.yaml), applied
// like any other. The last line is `plan: <file>` or `nothing changed since <time>`.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Table } from '../../catalog/model.js';
import { ExitCode, usageError } from '../../errors.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile, writePlanFile } from '../plan-file.js';
import { readProgress } from '../progress-lines.js';
import { openClusters } from '../run-context.js';
import type { CommandRegistrar } from './index.js';
import { CI_ENV, helpAfter, PASSWORD_ENV, REPOSITORY_ENV } from '../help.js';

export interface CatchUpFlags {
  name?: string;
  dropRemoved?: boolean;
  yes?: boolean;
  interactive?: boolean;
}

export async function runCatchUp(planArg: string, flags: CatchUpFlags, io: CliIO, now: () => Date): Promise<number> {
  const planFile = resolve(io.cwd, planArg);
  const previous = readPlanFile(planFile);
  // The newer of the local state and the run's record, as apply resumes (a catch-up made on another machine).
  const { loadRunState, whereLooked } = await import('../load-run-state.js');
  const loaded = await loadRunState(previous, planFile, { env: io.env });
  if (loaded.note) writeLine(io.stderr, loaded.note);
  const { state } = loaded;
  if (!state) throw usageError('not-applied', `${planArg} has no state (none in ${whereLooked(loaded)}): apply it first, then catch up`);
  const { runOutcome } = await import('../../run/captured.js');
  const outcome = runOutcome(previous, state, planArg);
  const number = (previous.catchUp?.number ?? 0) + 1;
  const name = flags.name ?? `${previous.catchUp ? previous.name.replace(/-catchup-\d+$/, '') : previous.name}-catchup-${number}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw usageError('bad-name', `--name '${name}' may use letters, digits, '.', '_' and '-' only`);
  const out = join(dirname(planFile), `${name}.yaml`);
  if (existsSync(out)) throw usageError('plan-exists', `${relative(io.cwd, out)} already exists: apply it and catch up from it, or pass --name`);

  const clusters = await openClusters(previous, io);
  try {
    const { readCatalog } = await import('../../catalog/reader.js');
    const { readPartitionVersions } = await import('../../catalog/partition-versions.js');
    const { readTargetFacts } = await import('../../catalog/preflight.js');
    const mapping = previous.read?.databases ?? Object.fromEntries(previous.databases.map((d) => [d.source, d.target]));
    writeLine(io.stderr, `Reading the source at ${clusters.source.address}`);
    const catalog = await readCatalog(clusters.source, { databases: Object.keys(mapping), onEvent: readProgress(io, 'source') });
    // Ids and versions come from SHOW PARTITIONS, one per table the migration holds. Sources without
    // information_schema.partitions were read that way already (ids and versions filled): only tables
    // still missing them are asked again.
    const lacksVersions = (t: Table): boolean => t.partitions.length === 0 || t.partitions.some((p) => p.id === undefined || p.visibleVersion === undefined);
    const held = catalog.databases.flatMap((d) => d.tables.filter((t) => t.kind === 'olap' && (previous.read?.tables[d.name]?.[t.name] !== undefined || outcome.known[d.name]?.[t.name]) && lacksVersions(t)).map((t) => ({ database: d.name, name: t.name, table: t })));
    const versions = await readPartitionVersions(clusters.source, held);
    for (const h of held) h.table.partitions = versions.get(`${h.database}\u0000${h.name}`) ?? h.table.partitions;
    writeLine(io.stderr, `Checking the target at ${clusters.target.address}`);
    const target = await readTargetFacts(clusters.target, catalog, mapping);
    const { readCredentials } = await import('../../storage/credentials.js');
    const { openRepository } = await import('../../storage/backend.js');
    const repository = loaded.repository ?? (await openRepository(previous.repository.settings, readCredentials(previous.repository.settings, io.env)));
    const existingLabels = (await repository.listSnapshots(previous.repository.name)).map((s) => s.label);

    const { buildCatchUpPlan } = await import('../../plan/catchup.js');
    const result = buildCatchUpPlan({
      previous, known: outcome.known, since: outcome.since, number, name, now: now().toISOString(), catalog, target, dropRemoved: flags.dropRemoved ?? false,
      ...(outcome.pace ? { pace: outcome.pace } : {}), existingLabels,
    });
    if (result.kind === 'nothing') {
      writeLine(io.stdout, `nothing changed since ${result.since}`);
      return ExitCode.Ok;
    }
    const { withJobOrder } = await import('../../run/job-order.js');
    const plan = withJobOrder(result.plan);
    const { renderText } = await import('../../plan/render.js');
    io.stdout.write(renderText(plan));
    if (io.interactive && flags.interactive !== false && !flags.yes) {
      const { confirm } = await import('@inquirer/prompts');
      if (!(await confirm({ message: `write the catch-up plan to ${relative(io.cwd, out)}?`, default: true }))) {
        writeLine(io.stderr, 'Nothing written.');
        return ExitCode.Ok;
      }
    }
    writePlanFile(out, plan);
    writeLine(io.stdout, `plan: ${relative(io.cwd, out)}`);
    return ExitCode.Ok;
  } finally {
    await clusters.close();
  }
}

export const registerCatchUp: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('catch-up')
    .description("plan what changed on the source since PLAN's finished run (changed, added and replaced partitions, changed or added tables); apply it like any plan")
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate catch-up plans/q4-move.yaml', 'doris-migrate catch-up plans/q4-move.yaml --drop-removed --no-interactive'],
      env: [...PASSWORD_ENV, ...REPOSITORY_ENV, CI_ENV],
      exits: ['0  plan written, or nothing changed', '2  bad usage, or PLAN has no finished run', '4  a cluster or the repository refused'],
    }))
    .argument('<plan>', 'a finished migration or catch-up plan')
    .option('--name <name>', 'name of the new plan (default <migration>-catchup-<n>)')
    .option('--drop-removed', 'also drop on the target the partitions and tables the source dropped (never by default)')
    .option('--yes', 'write the plan without asking')
    .option('--no-interactive', 'never prompt')
    .action((plan: string, flags: CatchUpFlags) => done(runCatchUp(plan, flags, io, () => new Date())));
};
