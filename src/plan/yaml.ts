// Plan <-> YAML text. Stable key order (the schema's), a header comment, and every problem of a
// bad file listed with its path. Pure.
import { parseDocument } from 'yaml';
import { usageError } from '../errors.js';
import { fingerprintOf } from './fingerprint.js';
import { PlanSchema, type Plan } from './schema.js';
import { blockYaml } from './yaml-block.js';

const HEADER = `# doris-migrate plan (format: plans/README.md). Review it with \`doris-migrate review\`.
# Editing it changes its fingerprint: apply refuses a plan edited after a partial run.
`;

/**
 * The file's text; keys in the schema's order, so a plan read back and written again is unchanged.
 * Written directly where the data is simple (plan/yaml-block.ts), as the yaml library would.
 */
export function planToYaml(plan: Plan): string {
  return HEADER + blockYaml(PlanSchema.parse(plan));
}

/** Parses and validates; throws one usage error listing every problem with its path. */
export function planFromYaml(text: string, source = 'plan'): Plan {
  const doc = parseDocument(text);
  if (doc.errors.length) throw usageError('plan-invalid', `${source} is not valid YAML: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
  const parsed = PlanSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw usageError('plan-invalid', `${source} does not match the plan format: ${problems.join('; ')}`);
  }
  const plan = parsed.data;
  if (fingerprintOf(plan) !== plan.fingerprint) {
    throw usageError('plan-edited', `${source} was edited after it was made (fingerprint mismatch): make a new plan with \`doris-migrate plan\`, or restore the file`);
  }
  const ids = new Set<string>();
  for (const s of plan.steps) {
    if (ids.has(s.id)) throw usageError('plan-invalid', `${source}: step id ${s.id} appears twice`);
    ids.add(s.id);
  }
  for (const s of plan.steps) for (const d of s.dependsOn) if (!ids.has(d)) throw usageError('plan-invalid', `${source}: step ${s.id} depends on unknown step ${d}`);
  return plan;
}
