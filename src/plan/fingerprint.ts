// A plan's fingerprint: sha256 over its canonical JSON (keys sorted), without the fingerprint
// itself. Pure.
import { createHash } from 'node:crypto';
import type { Plan } from './schema.js';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintOf(plan: Omit<Plan, 'fingerprint'> & { fingerprint?: string }): string {
  const { fingerprint: _ignored, ...rest } = plan;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

/**
 * A short digest of each step's content, by id: what a run state keeps of the plan it ran, so a
 * re-made plan can be compared with it step by step (`diffDigests`).
 */
export function stepDigests(plan: Pick<Plan, 'steps'>): Record<string, string> {
  return Object.fromEntries(plan.steps.map((s) => [s.id, createHash('sha256').update(canonicalJson(s)).digest('hex').slice(0, 16)]));
}

/** Steps added, removed and changed between two sets of step digests. */
export function diffDigests(before: Record<string, string>, after: Record<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: Object.keys(after).filter((id) => !(id in before)),
    removed: Object.keys(before).filter((id) => !(id in after)),
    changed: Object.keys(after).filter((id) => id in before && before[id] !== after[id]),
  };
}

/** Lines naming what differs between two plans (steps added, removed or changed; other fields). */
export function diffPlans(before: Plan, after: Plan): string[] {
  const steps = diffDigests(stepDigests(before), stepDigests(after));
  const out = [...steps.removed.map((id) => `step ${id} removed`), ...steps.added.map((id) => `step ${id} added`), ...steps.changed.map((id) => `step ${id} changed`)];
  // Every other top-level field, in the schema's order, so any edit that moves the fingerprint shows.
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== 'steps' && f !== 'fingerprint');
  for (const field of fields) {
    const a = (before as Record<string, unknown>)[field];
    const b = (after as Record<string, unknown>)[field];
    if (canonicalJson(a) !== canonicalJson(b)) out.push(`${field} changed`);
  }
  return out;
}
