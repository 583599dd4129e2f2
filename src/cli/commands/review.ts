// `doris-migrate review PLAN`: the plan for humans, without connecting anywhere.
import { resolve } from 'node:path';
import { usageError, ExitCode } from '../../errors.js';
import { renderJson, renderMarkdown, renderSql, renderText } from '../../plan/render.js';
import { readPlanFile } from '../plan-file.js';
import type { CliIO } from '../io.js';
import type { CommandRegistrar } from './index.js';
import { helpAfter } from '../help.js';

const RENDERERS = { text: renderText, markdown: renderMarkdown, sql: renderSql, json: renderJson } as const;

export function runReview(planPath: string, format: string, io: CliIO): number {
  const render = RENDERERS[format as keyof typeof RENDERERS];
  if (!render) throw usageError('bad-format', `--format must be one of ${Object.keys(RENDERERS).join(', ')}, got '${format}'`);
  io.stdout.write(render(readPlanFile(resolve(io.cwd, planPath))));
  return ExitCode.Ok;
}

export const registerReview: CommandRegistrar = (program, io, done) => {
  program
    .command('review')
    .description('render a plan for review (text, markdown, sql runbook, json); connects nowhere')
    .addHelpText('after', helpAfter({
      examples: ['doris-migrate review plans/q4-move.yaml', 'doris-migrate review plans/q4-move.yaml --format sql > runbook.sql'],
      env: [],
      exits: ['0  rendered', '2  the plan is missing, damaged or edited by hand'],
    }))
    .argument('<plan>', 'plan file (plans/NAME.yaml)')
    .option('--format <format>', 'text | markdown | sql | json', 'text')
    .action((plan: string, flags: { format: string }) => done(Promise.resolve().then(() => runReview(plan, flags.format, io))));
};
