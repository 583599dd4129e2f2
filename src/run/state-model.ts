// The run state (plans/<name>.state.json): what happened to every step, written ahead of every
// side effect. Pure: the schema and small transition helpers.
import { z } from 'zod';
import { stepDigests } from '../plan/fingerprint.js';
import type { BackupStep, Plan, RestoreStep, Step } from '../plan/schema.js';
import type { Verification } from '../verify/model.js';

export const StepStatusSchema = z.enum([
  /** Not started. */
  'pending',
  /** Intent recorded (label, attempt); the statement may or may not have reached Doris. */
  'submitting',
  /** Doris accepted the job; we are watching it. */
  'running',
  /** Finished and recorded. */
  'done',
  /** Gave up; `lastError` says why. A later `apply` retries it. */
  'failed',
  /** Left for a person (manual follow-ups). */
  'manual',
]);
export type StepStatus = z.infer<typeof StepStatusSchema>;

export const AttemptSchema = z.object({ attempt: z.number().int(), label: z.string(), outcome: z.string(), at: z.string() });

export const StepStateSchema = z.object({
  status: StepStatusSchema,
  /** 1-based; the label sent to Doris is `<label>_a<attempt>`. */
  attempt: z.number().int().min(0),
  label: z.string().optional(),
  jobId: z.string().optional(),
  /** Restores: how many jobs with this label the database already had when we submitted ours. */
  priorJobs: z.number().int().optional(),
  /**
   * The keys (`restoreJobKey`) of the jobs that already carried this attempt's label when its
   * intent was recorded: none of them is ours. Restores reuse their snapshot's label (earlier
   * attempts); for a backup such a job is another migration's. Preferred over `priorJobs`: Doris
   * keeps only the last 10 jobs per database, so earlier jobs can scroll out and a count would
   * then mistake our job for an old one.
   */
  priorJobKeys: z.array(z.string()).optional(),
  /** Backups: the snapshot timestamp read from SHOW SNAPSHOT; restores: the one they used. */
  backupTimestamp: z.string().optional(),
  dorisState: z.string().optional(),
  /** When the current attempt's intent was recorded: its waits are bounded from here (steps/bounds.ts). */
  attemptStartedAt: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  lastError: z.string().optional(),
  /**
   * Set when the step failed on our side (a lost connection, an unreadable listing) while its
   * attempt may still be live on Doris: the next run resumes the step in this status, so the
   * attempt is reconciled with the cluster before anything is sent again.
   */
  inFlight: z.enum(['submitting', 'running']).optional(),
  history: z.array(AttemptSchema).default([]),
  /**
   * Backups: table -> partition -> [PartitionId, version] that the snapshot holds: read from its
   * job info in the repository (`capturedFrom: snapshot`), or SHOW PARTITIONS just before the
   * BACKUP was sent (`before-backup`: never later than the snapshot; a write in between is found
   * by the next catch-up). What `catch-up` compares the source with.
   */
  captured: z.record(z.string(), z.record(z.string(), z.tuple([z.number().int(), z.number().int()]))).optional(),
  capturedFrom: z.enum(['snapshot', 'before-backup']).optional(),
});
export type StepState = z.infer<typeof StepStateSchema>;

const VerificationSchema = z.object({
  level: z.enum(['quick', 'full']),
  checkedAt: z.string(),
  databases: z.number(),
  tables: z.number(),
  views: z.number(),
  rows: z.number(),
  differences: z.array(z.object({
    object: z.string(),
    aspect: z.enum(['missing', 'columns', 'key-model', 'partitions', 'buckets', 'rollups', 'view', 'rows', 'property']),
    expected: z.string(),
    actual: z.string(),
  })),
}) satisfies z.ZodType<Verification>;

export const RunStateSchema = z.object({
  version: z.literal(1),
  plan: z.string(),
  fingerprint: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * The clusters and repository this state belongs to (`host:port`, location): a state is never
   * carried over to another pair of clusters or another repository. States made before it have none.
   */
  binding: z.object({ source: z.string(), target: z.string(), repository: z.string() }).optional(),
  /** Each step's content digest (plan/fingerprint.ts stepDigests) in the plan this state runs: `--accept-plan-changes` redoes the steps whose content changed. */
  stepDigests: z.record(z.string(), z.string()).optional(),
  steps: z.record(z.string(), StepStateSchema),
  /**
   * Objects (`db.table`, `db.table.partition`) that drifted on the source after planning and that
   * this run skips, because apply was told --accept-drift; every later run of the plan skips them too.
   */
  skipped: z.array(z.string()).optional(),
  /** The last verification apply ran (its verify step), for the report. */
  verification: VerificationSchema.optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export function initialState(plan: Plan, now: string): RunState {
  return {
    version: 1,
    plan: plan.name,
    fingerprint: plan.fingerprint,
    createdAt: now,
    updatedAt: now,
    binding: bindingOf(plan),
    stepDigests: stepDigests(plan),
    steps: Object.fromEntries(plan.steps.map((s) => [s.id, { status: 'pending', attempt: 0, history: [] }])),
  };
}

/** What a state of this plan is bound to: its clusters and its repository. */
export const bindingOf = (plan: Plan): NonNullable<RunState['binding']> => ({
  source: `${plan.source.host}:${plan.source.port}`,
  target: `${plan.target.host}:${plan.target.port}`,
  repository: plan.repository.settings.location,
});

/** Why a state cannot serve this plan (another pair of clusters or another repository), or undefined. */
export function bindingProblem(plan: Plan, state: RunState): string | undefined {
  if (!state.binding) return undefined;
  const now = bindingOf(plan);
  const changed = (['source', 'target', 'repository'] as const).filter((k) => state.binding![k] !== now[k]);
  if (!changed.length) return undefined;
  return changed.map((k) => `its ${k} was ${state.binding![k]}, the plan's is ${now[k]}`).join('; ');
}

export const isJobStep = (kind: string): boolean => kind === 'backup' || kind === 'restore';
/** The steps that run a Doris job (BACKUP or RESTORE). */
export type JobStep = BackupStep | RestoreStep;
export const isJob = (s: Step): s is JobStep => isJobStep(s.kind);
/** The database a job occupies on its cluster: Doris runs one BACKUP or RESTORE per database at a time. */
export const databaseKey = (s: JobStep): string => `${s.cluster}\u0000${s.database}`;
export const isActive = (s: StepState): boolean => s.status === 'submitting' || s.status === 'running';

/**
 * Whether the step's current attempt may have a live job on Doris: it is being submitted or
 * watched, or it failed on our side while it was (`inFlight`). `cancel` must look at these.
 */
export const mayBeLive = (s: StepState): boolean => isActive(s) || (s.status === 'failed' && s.inFlight !== undefined);

/**
 * The status a failed step starts again with in a new run: where it stood if its attempt may
 * still be live on Doris (reconcile decides), otherwise `pending` (a new attempt).
 */
export const restartStatus = (s: StepState): StepStatus => s.inFlight ?? 'pending';

/**
 * Identity of a finished or cancelled restore job across polls. Restore labels repeat (the same
 * snapshot may be restored again), so the label alone cannot tell our job from an earlier one.
 * JobId is stable once a job is final; a job cancelled before leaving PENDING may still show
 * `-1`, so its CreateTime is added.
 */
export const restoreJobKey = (job: { jobId: string; createTime?: string | undefined }): string => (job.jobId === '-1' ? `-1@${job.createTime ?? ''}` : job.jobId);
