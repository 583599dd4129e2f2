// The plan file's schema (plans/NAME.yaml, `version: 1`). The zod schema is the source of truth;
// the TypeScript types are inferred from it. Documented field by field in plans/README.md.
import { z } from 'zod';
import { RepositorySettingsSchema } from '../storage/settings.js';

// Every object is strict: a key the format does not know (a typo, or `dropTargetFirst: true`
// added by hand) is refused with its path instead of being dropped before the fingerprint is
// checked, where the edit would pass as "not edited".

/**
 * Byte and row counts. Doubles above 2^53 are whole but not "safe" integers; sizes that large
 * (8 PiB) are estimates for batching and progress, so they are kept rather than refused.
 */
const count = z.number().nonnegative().refine(Number.isInteger, 'expected a whole number');

/** Where a cluster is; never a password (that comes from `passwordEnv` at run time). */
export const ClusterRefSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  /** Environment variable holding the password. */
  passwordEnv: z.string().min(1),
  tls: z.boolean().default(false),
  /** Doris version seen when planning, e.g. `2.1.7`, and whether it runs in cloud mode. */
  version: z.string(),
  cloud: z.boolean().default(false),
});
export type ClusterRef = z.infer<typeof ClusterRefSchema>;

// Where the snapshots go belongs to storage; the plan embeds it.
export type { RepositorySettings } from '../storage/settings.js';

export const RepositorySchema = z.strictObject({
  /** Repository name on both clusters (Doris: `^[a-zA-Z][a-zA-Z0-9-_]{0,63}$`). */
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/),
  settings: RepositorySettingsSchema,
});
export type Repository = z.infer<typeof RepositorySchema>;

/** How to treat a table that already exists on the target. */
export const ConflictPolicySchema = z.enum(['refuse', 'skip', 'alias', 'atomic-replace']);
export type ConflictPolicy = z.infer<typeof ConflictPolicySchema>;

export const ReplicationSchema = z.union([
  z.strictObject({ num: z.number().int().min(1).max(32767) }),
  z.strictObject({ allocation: z.string().min(1) }),
  z.strictObject({ reserve: z.literal(true) }),
]);
export type Replication = z.infer<typeof ReplicationSchema>;

export const OptionsSchema = z.strictObject({
  labelPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,24}$/),
  concurrency: z.strictObject({ source: z.number().int().min(1), target: z.number().int().min(1) }),
  /** Bytes one backup job should carry at most before the planner starts another batch. */
  batchBytes: count.refine((n) => n > 0, 'expected a positive number'),
  jobTimeoutSeconds: z.number().int().min(600),
  replication: ReplicationSchema,
  conflicts: ConflictPolicySchema,
  /** Retries of a cancelled/failed job under a new attempt label before the step fails. */
  maxAttempts: z.number().int().min(1).default(3),
  /**
   * Upload (source) and download (target) workers per backend, as the clusters are configured
   * (Doris's upload_worker_count / download_worker_count; absent: 1, Doris's default). Only the
   * searched job order reads it: it says how many jobs' transfers a cluster moves at once.
   */
  transferWorkers: z.number().int().min(1).optional(),
});
export type PlanOptions = z.infer<typeof OptionsSchema>;

const StepBase = {
  /** Stable id, unique in the plan; the state file is keyed by it. */
  id: z.string().min(1),
  dependsOn: z.array(z.string()).default([]),
  /** One line for humans. */
  title: z.string(),
};

export const TableRefSchema = z.strictObject({
  name: z.string(),
  /** Only these partitions (a table split across several jobs). */
  partitions: z.array(z.string()).optional(),
  /** Restore under this name on the target (conflict policy `alias`). */
  alias: z.string().optional(),
});
export type TableRef = z.infer<typeof TableRefSchema>;

export const PreflightStepSchema = z.strictObject({ ...StepBase, kind: z.literal('preflight') });
export const CreateRepositoryStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('create-repository'),
  cluster: z.enum(['source', 'target']),
  readOnly: z.boolean(),
});
export const CreateDatabaseStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('create-database'),
  cluster: z.literal('target'),
  database: z.string(),
  properties: z.record(z.string(), z.string()).default({}),
});
export const BackupStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('backup'),
  cluster: z.literal('source'),
  database: z.string(),
  /** Label without the attempt suffix; the run appends `_aN` (labels are unique per repository). */
  label: z.string().regex(/^[A-Za-z0-9_:-]{1,120}$/),
  tables: z.array(TableRefSchema).min(1),
  bytes: count,
  timeoutSeconds: z.number().int().min(600),
});
export const RestoreStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('restore'),
  cluster: z.literal('target'),
  /** Target database (may be renamed from the source). */
  database: z.string(),
  sourceDatabase: z.string(),
  /** The backup step whose snapshot this restores. */
  backupStep: z.string(),
  tables: z.array(TableRefSchema).min(1),
  /** RESTORE properties other than backup_timestamp (added at run time from SHOW SNAPSHOT). */
  properties: z.record(z.string(), z.string()),
  bytes: count,
  timeoutSeconds: z.number().int().min(600),
});
export const FollowUpStepSchema = z.strictObject({
  ...StepBase,
  kind: z.enum(['colocate', 'dynamic-partition', 'mtmv']),
  cluster: z.literal('target'),
  database: z.string(),
  /** Table or MV the follow-up is about. */
  object: z.string(),
  /** Statements to run, in order; rendered by doris/sql.ts builders at plan time. */
  sql: z.array(z.string()).min(1),
  /** Run by `apply` on its own (true), or only after `apply --followups` / a confirmation. */
  automatic: z.boolean(),
  /**
   * Table properties the statements leave on the target (colocate, dynamic-partition): `apply`
   * skips the step when they are already there and checks them afterwards.
   */
  expect: z.record(z.string(), z.string()).optional(),
});
export const ManualStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('manual'),
  /** What a person must do, and why Doris cannot. */
  instructions: z.string(),
  sql: z.array(z.string()).default([]),
});
export const VerifyStepSchema = z.strictObject({ ...StepBase, kind: z.literal('verify') });
/**
 * Catch-up with `--drop-removed`: what the source dropped goes on the target too. With
 * `partitions`, `ALTER TABLE ... DROP PARTITION` each; without, `DROP TABLE` (to Doris's recycle
 * bin, not FORCE).
 */
export const DropStepSchema = z.strictObject({
  ...StepBase,
  kind: z.literal('drop'),
  cluster: z.literal('target'),
  database: z.string(),
  table: z.string(),
  partitions: z.array(z.string()).min(1).optional(),
});

export const StepSchema = z.discriminatedUnion('kind', [
  PreflightStepSchema,
  CreateRepositoryStepSchema,
  CreateDatabaseStepSchema,
  BackupStepSchema,
  RestoreStepSchema,
  FollowUpStepSchema,
  ManualStepSchema,
  VerifyStepSchema,
  DropStepSchema,
]);
export type Step = z.infer<typeof StepSchema>;
export type BackupStep = z.infer<typeof BackupStepSchema>;
export type RestoreStep = z.infer<typeof RestoreStepSchema>;
export type FollowUpStep = z.infer<typeof FollowUpStepSchema>;
export type DropStep = z.infer<typeof DropStepSchema>;
export type StepKind = Step['kind'];

/** Something the plan leaves out, with why and what to do about it. */
export const ExclusionSchema = z.strictObject({
  /** `db`, `db.table`, `db.table.partition` or `catalog:<name>`. */
  object: z.string(),
  kind: z.enum([
    'system-database',
    'external-catalog',
    'async-mv',
    'storage-policy',
    'non-olap',
    'temp-partition',
    'conflict',
    'user-excluded',
    /** Catch-up: the table's schema changed and the target cannot replace it (no atomic_restore / force_replace). */
    'schema-changed',
  ]),
  reason: z.string(),
  remedy: z.string(),
});
export type Exclusion = z.infer<typeof ExclusionSchema>;

export const DatabaseSummarySchema = z.strictObject({
  source: z.string(),
  target: z.string(),
  tables: z.number().int().nonnegative(),
  partitions: z.number().int().nonnegative(),
  bytes: count,
  rows: count,
});

/**
 * What planning read of the source, for drift detection (`apply` refuses a source that moved away
 * from it) and for catch-up (which compares the source with it later).
 */
export const SourceReadSchema = z.strictObject({
  /** The selection the plan was made with: a catch-up takes tables added since within it. */
  selection: z.strictObject({
    databases: z.array(z.string()).optional(),
    tables: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
  }),
  /** Source database -> table -> schema signature (plan/table-signature.ts) of every table the migration holds on the target. */
  tables: z.record(z.string(), z.record(z.string(), z.string())),
  /** `db.table` -> its name on the target, where it differs (conflict policy `alias`). */
  targetNames: z.record(z.string(), z.string()).default({}),
  /** Source database -> target database, for every database the migration holds. */
  databases: z.record(z.string(), z.string()).default({}),
});
export type SourceRead = z.infer<typeof SourceReadSchema>;

/** `[PartitionId, VisibleVersion]` of one partition as a snapshot (or the read before it) held it. */
export const PartitionVersionSchema = z.tuple([z.number().int(), z.number().int()]);
/** Source database -> table -> partition -> id and version. */
export const PartitionVersionsSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), PartitionVersionSchema)));
export type PartitionVersions = z.infer<typeof PartitionVersionsSchema>;

/** One thing a catch-up found changed on the source, as review lists it. */
export const CatchUpChangeSchema = z.strictObject({
  /** `db.table` or `db.table.partition`. */
  object: z.string(),
  change: z.enum(['changed', 'replaced', 'added', 'dropped', 'schema-changed', 'table-added', 'table-dropped']),
  detail: z.string(),
});
export type CatchUpChange = z.infer<typeof CatchUpChangeSchema>;

/** A catch-up plan: what changed on the source since the plan it follows. */
export const CatchUpSchema = z.strictObject({
  /** Name of the plan this one catches up (a migration or an earlier catch-up). */
  of: z.string(),
  /** 1 for the first catch-up of a migration, then 2, 3, ... */
  number: z.number().int().min(1),
  /** When what the target holds was taken (the previous run's last backup). */
  since: z.string(),
  /**
   * What the target holds from earlier runs and this plan does not copy again; after `apply`, the
   * versions its own backups captured (in the state) complete the picture for the next catch-up.
   */
  baseline: PartitionVersionsSchema,
  changes: z.array(CatchUpChangeSchema),
  summary: z.strictObject({
    partitions: z.number().int().nonnegative(),
    tables: z.number().int().nonnegative(),
    bytes: count,
    /** At the previous run's pace; absent when that run left no timings. */
    estimatedSeconds: z.number().nonnegative().optional(),
  }),
});
export type CatchUp = z.infer<typeof CatchUpSchema>;

export const PlanSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  /**
   * The migration's id (plan/labels.ts planIdOf): in the default label prefix, so no two plans
   * share a label. Plans made before it existed have none.
   */
  id: z.string().regex(/^[0-9a-f]{8}$/).optional(),
  /** ISO time the plan was made (passed in; the planner reads no clock). */
  createdAt: z.string(),
  source: ClusterRefSchema,
  target: ClusterRefSchema,
  repository: RepositorySchema,
  options: OptionsSchema,
  databases: z.array(DatabaseSummarySchema),
  steps: z.array(StepSchema),
  excluded: z.array(ExclusionSchema).default([]),
  warnings: z.array(z.string()).default([]),
  /** What planning read of the source (absent in plans made before drift detection). */
  read: SourceReadSchema.optional(),
  /** Set on plans written by `catch-up`. */
  catchUp: CatchUpSchema.optional(),
  /**
   * The order its jobs start in, searched on a duration model when the plan was made
   * (run/job-order.ts); absent for plans too big to search or made before it existed, which
   * run by the ranking formula alone.
   */
  schedule: z
    .strictObject({
      /** Job step ids, first to start first. */
      order: z.array(z.string()),
      /** The formula's modelled makespan over this order's (1.05: the order is 5 % shorter in the model). */
      gain: z.number().positive(),
    })
    .optional(),
  /** sha256 of the canonical plan without this field (plan/fingerprint.ts). */
  fingerprint: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;
