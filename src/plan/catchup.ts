// buildCatchUpPlan: what changed on the source since a migration (or an earlier catch-up) ->
// a new plan that copies only that. Pure: the caller reads the source, the target and the
// previous run, and passes them in (with the clock).
//
// - partitions whose version grew, replaced and added ones: partition-level BACKUP and a RESTORE
//   onto the target table, which Doris overwrites in place (same schema, same replica count);
// - dropped partitions and tables: a `drop` step with --drop-removed, otherwise a warning;
// - tables whose schema changed: the whole table by atomic replace, or left out with the reason;
// - tables added within the migration's selection: migrated whole.
import type { Catalog, TargetFacts } from '../catalog/model.js';
import { capabilitiesOf, versionString, withProbedRestoreProperties } from '../doris/capabilities.js';
import { usageError } from '../errors.js';
import { backupRefusal } from './build-plan.js';
import { diffTable } from './catchup-diff.js';
import { catchUpSteps, type DatabaseWork } from './catchup-steps.js';
import { fingerprintOf } from './fingerprint.js';
import { defaultLabelPrefix, planIdOf } from './labels.js';
import type { CatchUpChange, Exclusion, Plan, PartitionVersions } from './schema.js';
import { tableSignature } from './table-signature.js';

export interface CatchUpInput {
  previous: Plan;
  /** What the target holds: the previous plan's baseline overlaid with what its backups captured. */
  known: PartitionVersions;
  /** When that was taken (the previous run's last backup). */
  since: string;
  /** This catch-up's number in the chain (1, 2, ...). */
  number: number;
  name: string;
  /** ISO time, passed in. */
  now: string;
  /** The source now; the partitions of every table the migration holds carry PartitionId and VisibleVersion. */
  catalog: Catalog;
  target: TargetFacts;
  dropRemoved: boolean;
  /** The previous run's pace, for the estimate. */
  pace?: { bytesPerSecond: number; jobOverheadSeconds: number };
  existingLabels?: string[];
}

export type CatchUpResult = { kind: 'nothing'; since: string } | { kind: 'plan'; plan: Plan };

export function buildCatchUpPlan(input: CatchUpInput): CatchUpResult {
  const { previous, catalog, target } = input;
  const read = previous.read;
  if (!read) throw usageError('no-read-record', `${previous.name} was made by an older doris-migrate that did not record what it read: it cannot be caught up; make a new plan`);
  const targetCaps = withProbedRestoreProperties(capabilitiesOf(target.cluster.version), target.restoreProperties ?? {});
  const targetV = versionString(target.cluster.version);
  const changes: CatchUpChange[] = [];
  const warnings: string[] = [];
  const excluded: Exclusion[] = [];
  const baseline: PartitionVersions = {};
  const signatures: Record<string, Record<string, string>> = {};
  const work: DatabaseWork[] = [];
  const onlyTables = read.selection.tables ? new Set(read.selection.tables) : undefined;
  const leftOut = new Set(read.selection.exclude ?? []);
  const existing = new Set(target.existingTables.map((t) => `${t.database}.${t.name}`));

  const mapping = Object.keys(read.databases).length ? Object.entries(read.databases).map(([source, t]) => ({ source, target: t })) : previous.databases;
  for (const d of mapping) {
    const live = catalog.databases.find((x) => x.name === d.source);
    const known = input.known[d.source] ?? {};
    const sigs = read.tables[d.source] ?? {};
    const db: DatabaseWork = { source: d.source, target: d.target, properties: live?.properties ?? {}, inPlace: [], replace: [], added: [], drops: [] };
    baseline[d.source] = {};
    signatures[d.source] = {};
    const keep = (name: string, sig: string | undefined, parts: Record<string, [number, number]>) => {
      if (sig !== undefined) signatures[d.source]![name] = sig;
      baseline[d.source]![name] = parts;
    };
    for (const name of [...new Set([...Object.keys(known), ...Object.keys(sigs)])].sort()) {
      const object = `${d.source}.${name}`;
      const targetName = read.targetNames[object] ?? name;
      const t = live?.tables.find((x) => x.name === name);
      const held = known[name] ?? {};
      if (!t) {
        changes.push({ object, change: 'table-dropped', detail: 'no longer on the source' });
        if (input.dropRemoved) db.drops.push({ table: targetName });
        else warnings.push(`${object} was dropped on the source; ${d.target}.${targetName} stays on the target (catch-up --drop-removed drops it there)`);
        continue;
      }
      const refusal = backupRefusal(t);
      if (refusal) {
        excluded.push({ object, kind: refusal.kind, reason: `${refusal.reason}; the target keeps what earlier runs copied`, remedy: 'remove the obstacle on the source and catch up again' });
        keep(name, sigs[name], held);
        continue;
      }
      const sig = tableSignature(t);
      if (sig !== sigs[name]) {
        changes.push({ object, change: 'schema-changed', detail: 'columns, keys, partitioning or distribution differ from what the last run copied' });
        const why = !existing.has(`${d.target}.${targetName}`)
          ? undefined
          : !targetCaps.atomicRestore
            ? `the target (Doris ${targetV}) has no atomic_restore to replace it`
            : !targetCaps.forceReplace
              ? `replacing a table whose schema differs needs force_replace, which the target (Doris ${targetV}) does not have`
              : targetCaps.reserveColocate && t.colocateGroup
                ? `Doris ${targetV} refuses to restore into a colocated table`
                : undefined;
        if (why) {
          excluded.push({ object, kind: 'schema-changed', reason: `its schema changed on the source and ${why}`, remedy: `drop ${d.target}.${targetName} on the target (it then comes back whole with the next catch-up), or upgrade the target` });
          keep(name, sigs[name], held);
          continue;
        }
        signatures[d.source]![name] = sig;
        // A table the target no longer has is simply restored; one it has is replaced atomically.
        (existing.has(`${d.target}.${targetName}`) ? db.replace : db.added).push({ table: t, targetName });
        continue;
      }
      const diff = diffTable(object, held, t.partitions);
      changes.push(...diff.changes);
      keep(name, sig, diff.unchanged);
      if (diff.dropped.length) {
        if (input.dropRemoved) db.drops.push({ table: targetName, partitions: diff.dropped });
        else warnings.push(`partition(s) ${diff.dropped.join(', ')} of ${object} were dropped on the source and stay on the target (catch-up --drop-removed drops them there)`);
      }
      if (!diff.copy.length) continue;
      if (targetCaps.reserveColocate && t.colocateGroup) {
        excluded.push({ object, kind: 'conflict', reason: `${diff.copy.length} partition(s) changed, but Doris ${targetV} refuses to restore into a colocated table`, remedy: `take ${d.target}.${targetName} out of its colocation group on the target (ALTER TABLE ... SET ("colocate_with" = "")), catch up, then put it back` });
        // Still what an earlier run copied: the next catch-up finds them changed again.
        for (const p of diff.copy) if (held[p]) baseline[d.source]![name]![p] = held[p];
        continue;
      }
      db.inPlace.push({ table: t, targetName, partitions: t.partitionType === 'UNPARTITIONED' ? undefined : diff.copy });
    }
    // Tables added on the source within the migration's selection come whole.
    for (const t of live?.tables ?? []) {
      const object = `${d.source}.${t.name}`;
      if (sigs[t.name] !== undefined || known[t.name] || (onlyTables && !onlyTables.has(object)) || leftOut.has(object)) continue;
      // A new table BACKUP would refuse is left out and said so, as a plan would.
      const refusal = backupRefusal(t);
      if (refusal) {
        excluded.push({ object, kind: refusal.kind, reason: refusal.reason, remedy: 'remove the obstacle on the source and catch up again' });
        continue;
      }
      changes.push({ object, change: 'table-added', detail: 'new on the source' });
      if (existing.has(`${d.target}.${t.name}`)) {
        excluded.push({ object, kind: 'conflict', reason: `new on the source, but ${d.target}.${t.name} already exists on the target`, remedy: 'drop or rename it on the target and catch up again' });
        continue;
      }
      signatures[d.source]![t.name] = tableSignature(t);
      db.added.push({ table: t, targetName: t.name });
    }
    if (db.inPlace.length || db.replace.length || db.added.length || db.drops.length) work.push(db);
  }
  if (changes.length === 0) return { kind: 'nothing', since: input.since };

  // A catch-up is a migration of its own: its own id, so its labels are its own.
  const id = planIdOf({ name: input.name, now: input.now, source: previous.source, target: previous.target, repository: { name: previous.repository.name, location: previous.repository.settings.location } });
  const options = { ...previous.options, labelPrefix: defaultLabelPrefix(input.now, id) };
  const built = catchUpSteps({ work, catalog, options, targetCaps, sourceCaps: capabilitiesOf(catalog.cluster.version), existingLabels: input.existingLabels ?? [], warnings });
  const concurrency = Math.max(1, Math.min(options.concurrency.source, options.concurrency.target));
  const estimatedSeconds = input.pace && input.pace.bytesPerSecond > 0 ? built.bytes / input.pace.bytesPerSecond + input.pace.jobOverheadSeconds * Math.ceil(built.backups / concurrency) : undefined;
  const plan: Omit<Plan, 'fingerprint'> = {
    version: 1,
    name: input.name,
    id,
    createdAt: input.now,
    source: { ...previous.source, version: versionString(catalog.cluster.version) },
    target: { ...previous.target, version: targetV },
    repository: previous.repository,
    options,
    databases: built.databases,
    steps: built.steps,
    excluded,
    warnings,
    read: { selection: read.selection, tables: signatures, targetNames: read.targetNames, databases: read.databases },
    catchUp: {
      of: previous.name,
      number: input.number,
      since: input.since,
      baseline,
      changes,
      summary: { partitions: built.partitions, tables: built.tables, bytes: built.bytes, ...(estimatedSeconds !== undefined ? { estimatedSeconds: Math.round(estimatedSeconds) } : {}) },
    },
  };
  return { kind: 'plan', plan: { ...plan, fingerprint: fingerprintOf(plan) } };
}
