// Drift: the source moved away from what the plan read, for the objects the plan backs up — a
// table dropped, a schema changed, a partition the plan names gone. New data in existing
// partitions is not drift (that is what catch-up is for). `apply` refuses such a source before
// any job is submitted, unless told to skip what drifted (--accept-drift).
import { readCatalog } from '../catalog/reader.js';
import type { DorisClient } from '../doris/client.js';
import type { Plan } from '../plan/schema.js';
import { tableSignature } from '../plan/table-signature.js';

/** One drifted object: `db.table` or `db.table.partition`, and what happened to it. */
export interface Drift {
  object: string;
  what: 'dropped' | 'schema changed' | 'partition dropped';
}

export async function findDrift(plan: Plan, source: DorisClient): Promise<Drift[]> {
  const backups = plan.steps.filter((s) => s.kind === 'backup');
  if (!plan.read || backups.length === 0) return [];
  const catalog = await readCatalog(source, { databases: [...new Set(backups.map((b) => b.database))], probeTemporaryPartitions: false });
  const drift: Drift[] = [];
  for (const step of backups) {
    const db = catalog.databases.find((d) => d.name === step.database);
    for (const ref of step.tables) {
      const signature = plan.read.tables[step.database]?.[ref.name];
      if (signature === undefined) continue; // a view: it carries no data and restores by definition
      const live = db?.tables.find((t) => t.name === ref.name);
      const object = `${step.database}.${ref.name}`;
      if (!live) drift.push({ object, what: 'dropped' });
      else if (tableSignature(live) !== signature) drift.push({ object, what: 'schema changed' });
      else for (const p of ref.partitions ?? []) if (!live.partitions.some((x) => x.name === p)) drift.push({ object: `${object}.${p}`, what: 'partition dropped' });
    }
  }
  return drift;
}

/** The plan without the drifted objects (--accept-drift): they are neither backed up, restored nor verified. */
export function withoutDrifted(plan: Plan, drifted: string[]): Plan {
  if (!drifted.length) return plan;
  const gone = new Set(drifted);
  const steps = plan.steps.map((s) => {
    if (s.kind !== 'backup' && s.kind !== 'restore') return s;
    const db = s.kind === 'backup' ? s.database : s.sourceDatabase;
    const tables = s.tables
      .filter((t) => !gone.has(`${db}.${t.name}`))
      .map((t) => (t.partitions ? { ...t, partitions: t.partitions.filter((p) => !gone.has(`${db}.${t.name}.${p}`)) } : t))
      .filter((t) => !t.partitions || t.partitions.length > 0);
    return { ...s, tables };
  });
  const tables = Object.fromEntries(Object.entries(plan.read?.tables ?? {}).map(([db, ts]) => [db, Object.fromEntries(Object.entries(ts).filter(([t]) => !gone.has(`${db}.${t}`)))]));
  return { ...plan, steps, ...(plan.read ? { read: { ...plan.read, tables } } : {}) };
}

/** The refusal: each drifted object named, and the two ways on. */
export const driftMessage = (drift: Drift[]): string =>
  `the source changed since planning: ${drift.map((d) => `${d.object} ${d.what}`).join('; ')}: make a new plan (or a catch-up), or apply --accept-drift to skip ${drift.length === 1 ? 'it' : 'them'}`;
