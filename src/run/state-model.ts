// The run state (plans/<name>.state.json): what happened to every step, written ahead of every
// side effect. Pure: the schema and small transition helpers.
import { z } from 'zod';
import type { Plan } from '../plan/schema.js';

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
  /** Backups: the snapshot timestamp read from SHOW SNAPSHOT; restores: the one they used. */
  backupTimestamp: z.string().optional(),
  dorisState: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  lastError: z.string().optional(),
  history: z.array(AttemptSchema).default([]),
});
export type StepState = z.infer<typeof StepStateSchema>;

export const RunStateSchema = z.object({
  version: z.literal(1),
  plan: z.string(),
  fingerprint: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.record(z.string(), StepStateSchema),
});
export type RunState = z.infer<typeof RunStateSchema>;

export function initialState(plan: Plan, now: string): RunState {
  return {
    version: 1,
    plan: plan.name,
    fingerprint: plan.fingerprint,
    createdAt: now,
    updatedAt: now,
    steps: Object.fromEntries(plan.steps.map((s) => [s.id, { status: 'pending', attempt: 0, history: [] }])),
  };
}

export const isJobStep = (kind: string): boolean => kind === 'backup' || kind === 'restore';
export const isActive = (s: StepState): boolean => s.status === 'submitting' || s.status === 'running';
