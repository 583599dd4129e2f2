// The plan's last step: a quick comparison of source and target, kept in the state for the report.
import type { Step } from '../../plan/schema.js';
import { runVerification } from '../../verify/run.js';
import type { RunContext } from '../context.js';

export async function verifyStep(ctx: RunContext, step: Extract<Step, { kind: 'verify' }>): Promise<void> {
  const { deps } = ctx;
  const v = await runVerification(ctx.plan, 'quick', { source: deps.source, target: deps.target, now: deps.now });
  ctx.state.verification = v;
  if (v.differences.length) {
    const shown = v.differences.slice(0, 5).map((d) => `${d.object} ${d.aspect}: expected ${d.expected}, found ${d.actual}`);
    return ctx.fail(step, `source and target differ in ${v.differences.length} place(s): ${shown.join('; ')}${v.differences.length > 5 ? '; ...' : ''} (doris-migrate verify PLAN lists them all)`);
  }
  if (v.tables === 0 && v.views === 0) return ctx.finish(step, 'nothing to compare: the plan copies no table or view');
  return ctx.finish(step, `source and target match: ${v.tables} table(s), ${v.views} view(s), ${v.rows} rows`);
}
