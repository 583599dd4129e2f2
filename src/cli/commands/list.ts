// `doris-migrate list [DIR] [--json]`: every plan in DIR (default plans/) with its clusters and
// where it stands, one line each, so nobody has to know the file names.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, isMigrateError, usageError } from '../../errors.js';
import { writeLine, type CliIO } from '../io.js';
import { readPlanFile } from '../plan-file.js';
import { lockPath } from '../run-context.js';
import { loadRunState } from '../load-run-state.js';
import type { CommandRegistrar } from './index.js';
import { helpAfter, REPOSITORY_ENV } from '../help.js';

export interface ListedPlan {
  name: string;
  file: string;
  source: string;
  target: string;
  state: string;
  done: number;
  total: number;
  manual: number;
  /** The state's last write, or the plan's creation when never applied. */
  updatedAt: string;
  /** Which state was read: the local file, the run's record in the repository, or none. */
  stateFrom: 'local' | 'repository' | 'none';
}

export async function runList(dirArg: string | undefined, flags: { json?: boolean }, io: CliIO): Promise<number> {
  const dir = resolve(io.cwd, dirArg ?? 'plans');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort();
  } catch {
    throw usageError('no-plans-dir', `cannot read the directory ${dir}: give the directory holding the plans (default plans/)`);
  }
  const { lockHolder } = await import('../../run/lock.js');
  const { standingOf } = await import('../../run/standing.js');
  const listed: ListedPlan[] = [];
  for (const f of files) {
    const file = join(dir, f);
    try {
      const plan = readPlanFile(file);
      // The newer of the local file and the repository's record, as apply resumes; a record that
      // could not be read beside a local state is named on its own line (the column says which was used).
      const { state, from, unread, localFound } = await loadRunState(plan, file, { env: io.env });
      if (unread && localFound) writeLine(io.stderr, `${f}: the run's record in ${plan.repository.settings.location} cannot be read (${unread}); listed from the local state, which may be older`);
      const s = standingOf(plan, state, lockHolder(lockPath(file))?.running ?? false);
      const at = (c: { host: string; port: number }) => `${c.host}:${c.port}`;
      listed.push({ name: plan.name, file, source: at(plan.source), target: at(plan.target), state: s.standing, done: s.done, total: s.total, manual: s.manual, updatedAt: state?.updatedAt ?? plan.createdAt, stateFrom: from });
    } catch (e) {
      // One unreadable file must not hide the others: it is named, and the listing goes on.
      if (!isMigrateError(e)) throw e;
      writeLine(io.stderr, `${f}: ${e.message}`);
    }
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (!listed.length) {
    writeLine(io.stdout, `no plans in ${dir} (make one with doris-migrate plan)`);
    return ExitCode.Ok;
  }
  const rows = listed.map((p) => [p.name, `${p.source} → ${p.target}`, `${p.done}/${p.total} steps`, `${p.state}${p.manual ? ` (${p.manual} for a person)` : ''}${p.stateFrom === 'repository' ? ' (repository record)' : ''}`, p.updatedAt.replace('T', ' ').slice(0, 16)]);
  const header = ['PLAN', 'SOURCE → TARGET', 'STEPS', 'STATE', 'LAST UPDATE (UTC)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) writeLine(io.stdout, r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  '));
  return ExitCode.Ok;
}

export const registerList: CommandRegistrar = (program: Command, io, done) => {
  program
    .command('list')
    .description('list the plans in a directory with their clusters, steps done and state')
    .argument('[dir]', 'directory of plans', 'plans')
    .option('--json', 'machine-readable output')
    .addHelpText('after', `
States: planned (never applied), running (an apply holds the lock), failed (a step failed), interrupted
(stopped without a failure), done (every step done), verified (done, and the last verification matched).\n${helpAfter({ examples: ['doris-migrate list                # plans/', 'doris-migrate list archive/ --json'], env: ["to read each plan's run record in its repository (without them: the local state files alone, with a warning):", ...REPOSITORY_ENV.map((l) => `  ${l}`)], exits: ['0  listed', '2  the directory cannot be read'] })}`)
    .action((dir: string | undefined, flags: { json?: boolean }) => done(runList(dir, flags, io)));
};
