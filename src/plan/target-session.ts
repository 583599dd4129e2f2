// The session settings apply needs on the target for the names it creates there. RESTORE takes
// any name from the snapshot, but CREATE DATABASE and CREATE MATERIALIZED VIEW check theirs
// (doris/name-rules.ts): a name beyond ASCII needs `enable_unicode_name_support`, off by default
// before 4.0, so the target's sessions turn it on when the plan holds such a name. Pure.
import { databaseNameNeed, tableNameNeed, UNICODE_NAMES_VARIABLE, type NameNeed } from '../doris/name-rules.js';
import { planVersion } from '../doris/capabilities.js';
import type { Plan } from './schema.js';

/** Names the plan creates on the target by a statement that checks them, with what each needs. */
function createdNames(plan: Plan): NameNeed[] {
  const version = planVersion(plan.target.version);
  const needs: NameNeed[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'create-database') needs.push(databaseNameNeed(version, step.database));
    else if (step.kind === 'mtmv') needs.push(tableNameNeed(version, step.object));
  }
  return needs;
}

/** Session variables to set on every target connection: `{}` when the defaults do. */
export function targetSessionVariables(plan: Plan): Record<string, string> {
  return createdNames(plan).includes('unicode') ? { [UNICODE_NAMES_VARIABLE]: 'true' } : {};
}
