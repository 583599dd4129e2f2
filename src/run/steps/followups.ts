// What a restore does not carry over and the plan sets afterwards: colocation groups, dynamic
// partitioning, async materialized views, and the manual follow-ups left for a person. Each is
// idempotent, because a crash between its statements and the checkpoint reruns it.
import type { FollowUpStep, Step } from '../../plan/schema.js';
import { materializedView, missingProperties, refreshedOrRefreshing } from '../../verify/effects.js';
import type { RunContext } from '../context.js';

/** Table properties (colocate_with, dynamic_partition.*): a rerun finds them in place and changes nothing. */
export async function setProperties(ctx: RunContext, step: FollowUpStep): Promise<void> {
  const { target } = ctx.deps;
  const wanted = step.expect;
  if (wanted && (await missingProperties(target, step.database, step.object, wanted)).length === 0) return ctx.finish(step, 'already in place');
  for (const statement of step.sql) await target.query(statement);
  const missing = wanted ? await missingProperties(target, step.database, step.object, wanted) : [];
  if (missing.length) return ctx.fail(step, `${step.database}.${step.object} still shows ${missing.join(', ')} after ${step.sql.join('; ')}: check the table on the target (SHOW CREATE TABLE)`);
  return ctx.finish(step);
}

/** An async MV: a rerun neither recreates one that is there nor refreshes one whose refresh succeeded or is running. */
export async function materializedViewStep(ctx: RunContext, step: FollowUpStep): Promise<void> {
  const { target } = ctx.deps;
  const before = await materializedView(target, step.database, step.object);
  if (before && refreshedOrRefreshing(before.refreshState)) return ctx.finish(step, 'already in place');
  const [create, ...refresh] = step.sql;
  if (!before) await target.query(create!);
  for (const statement of refresh) await target.query(statement);
  if (!(await materializedView(target, step.database, step.object))) return ctx.fail(step, `materialized view ${step.database}.${step.object} is not on the target after CREATE MATERIALIZED VIEW: check mv_infos("database" = "${step.database}")`);
  return ctx.finish(step, before ? `already there (refresh state ${before.refreshState || 'unknown'}); refreshed` : undefined);
}

/** Left for a person, unless they said with --followups that the tool may run it. */
export async function manual(ctx: RunContext, step: Extract<Step, { kind: 'manual' }>): Promise<void> {
  const { deps } = ctx;
  if (deps.followups) {
    for (const statement of step.sql) await deps.target.query(statement);
    return ctx.finish(step, 'confirmed with --followups');
  }
  ctx.st(step.id).status = 'manual';
  await ctx.save(step.id);
  deps.emit({ kind: 'manual', step: step.id, title: step.title, instructions: step.instructions, sql: step.sql });
}
