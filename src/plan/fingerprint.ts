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

/** Lines naming what differs between two plans (steps added, removed or changed; other fields). */
export function diffPlans(before: Plan, after: Plan): string[] {
  const out: string[] = [];
  const a = new Map(before.steps.map((s) => [s.id, canonicalJson(s)]));
  const b = new Map(after.steps.map((s) => [s.id, canonicalJson(s)]));
  for (const id of a.keys()) if (!b.has(id)) out.push(`step ${id} removed`);
  for (const [id, text] of b) {
    if (!a.has(id)) out.push(`step ${id} added`);
    else if (a.get(id) !== text) out.push(`step ${id} changed`);
  }
  // Every other top-level field, in the schema's order, so any edit that moves the fingerprint shows.
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== 'steps' && f !== 'fingerprint');
  for (const field of fields) {
    const a = (before as Record<string, unknown>)[field];
    const b = (after as Record<string, unknown>)[field];
    if (canonicalJson(a) !== canonicalJson(b)) out.push(`${field} changed`);
  }
  return out;
}
