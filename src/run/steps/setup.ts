// The steps that prepare the ground: check both clusters are what the plan was made for, create
// the repository on both, create the target's databases.
import { text } from '../../doris/parse-results.js';
import { sql } from '../../doris/sql.js';
import type { Step } from '../../plan/schema.js';
import { stepStatements } from '../../plan/statements.js';
import type { RunContext } from '../context.js';
import { driftMessage, findDrift, withoutDrifted } from '../drift.js';

type Of<K extends Step['kind']> = Extract<Step, { kind: K }>;

/** Both clusters still run the Doris version the plan was made for, and the repository is reachable. */
export async function preflight(ctx: RunContext, step: Of<'preflight'>): Promise<void> {
  const { deps, plan } = ctx;
  for (const [cluster, c] of [['source', deps.source], ['target', deps.target]] as const) {
    const [row] = await c.query('SELECT @@version_comment AS v');
    const comment = text(row ?? {}, 'v') ?? '';
    const expected = plan[cluster].version;
    if (!comment.includes(`doris-${expected}`)) {
      ctx.refuse();
      return ctx.fail(step, `the ${cluster} ${c.address} now runs ${comment}, but the plan was made for Doris ${expected}: make a new plan`);
    }
  }
  // Before any job: the source still holds what the plan backs up (or the run skips what left).
  const drift = await findDrift(plan, deps.source);
  if (drift.length && !deps.acceptDrift) {
    ctx.refuse();
    return ctx.fail(step, driftMessage(drift));
  }
  if (deps.repository) await deps.repository.preflight(plan.repository.name);
  if (drift.length) {
    ctx.state.skipped = drift.map((d) => d.object);
    ctx.plan = withoutDrifted(plan, ctx.state.skipped);
    return ctx.finish(step, `skipping what drifted on the source (--accept-drift): ${drift.map((d) => `${d.object} ${d.what}`).join('; ')}`);
  }
  return ctx.finish(step);
}

/** CREATE REPOSITORY, unless one of that name is there already at the plan's location. */
export async function createRepository(ctx: RunContext, step: Of<'create-repository'>): Promise<void> {
  const { plan } = ctx;
  const c = ctx.client(step.cluster);
  const existing = (await c.query(sql.showRepositories())).find((r) => text(r, 'RepoName') === plan.repository.name);
  if (existing) {
    const location = text(existing, 'Location') ?? '';
    const [statement] = stepStatements(plan, step);
    if (!statement!.includes(`ON LOCATION "${location}"`)) return ctx.fail(step, `repository ${plan.repository.name} already exists on the ${step.cluster} at ${location}, not at the plan's location: drop it or plan with --repository-name`);
    return ctx.finish(step, 'already there');
  }
  for (const statement of stepStatements(plan, step, { secrets: ctx.deps.secrets })) await c.query(statement);
  return ctx.finish(step);
}

export async function createDatabase(ctx: RunContext, step: Of<'create-database'>): Promise<void> {
  for (const statement of stepStatements(ctx.plan, step)) await ctx.deps.target.query(statement);
  return ctx.finish(step);
}

/**
 * A repository this plan owns (it has a create-repository step for that cluster) that vanished
 * (DROP REPOSITORY, an FE that lost it): made again at the plan's location. False when the plan
 * does not own it there.
 */
export async function recreateRepository(ctx: RunContext, cluster: 'source' | 'target'): Promise<boolean> {
  const own = ctx.plan.steps.find((s): s is Of<'create-repository'> => s.kind === 'create-repository' && s.cluster === cluster);
  if (!own) return false;
  const c = ctx.client(cluster);
  const there = (await c.query(sql.showRepositories())).some((r) => text(r, 'RepoName') === ctx.plan.repository.name);
  if (!there) for (const statement of stepStatements(ctx.plan, own, { secrets: ctx.deps.secrets })) await c.query(statement);
  return true;
}
