// Catch-up with --drop-removed: what the source dropped goes on the target too. The statements
// say IF EXISTS, so a rerun after a crash between them and the checkpoint changes nothing.
import type { DropStep } from '../../plan/schema.js';
import { stepStatements } from '../../plan/statements.js';
import type { RunContext } from '../context.js';

export async function dropStep(ctx: RunContext, step: DropStep): Promise<void> {
  for (const statement of stepStatements(ctx.plan, step)) await ctx.deps.target.query(statement);
  return ctx.finish(step, step.partitions ? `${step.partitions.length} partition(s) dropped` : 'table dropped (in the recycle bin)');
}
