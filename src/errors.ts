/** Exit codes are part of the CLI contract (README "Exit codes"). */
export const ExitCode = {
  /** Everything asked for is done. */
  Ok: 0,
  /** A step failed; state is saved and `apply` can resume. */
  StepFailed: 1,
  /** Bad usage or input; nothing changed. */
  Usage: 2,
  /** Interrupted by a signal; state is saved and `apply` can resume. */
  Interrupted: 3,
  /** Refused by preflight (cloud mode, privileges, conflicts, backends, repository). */
  Refused: 4,
  /** Verification found differences. */
  Differences: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one error family of doris-migrate. A MigrateError is a known failure: the CLI prints its
 * message (one line, naming the thing and the fix) without a stack and exits with `exitCode`.
 * Anything else reaching the CLI is a bug and is printed with its stack.
 */
export class MigrateError extends Error {
  override readonly name = 'MigrateError';
  constructor(
    /** Stable machine-readable code, e.g. `plan-invalid`, `preflight-cloud-mode`. */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = ExitCode.Usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const usageError = (code: string, message: string): MigrateError =>
  new MigrateError(code, message, ExitCode.Usage);

export const refusedError = (code: string, message: string): MigrateError =>
  new MigrateError(code, message, ExitCode.Refused);

export const stepFailedError = (code: string, message: string, cause?: unknown): MigrateError =>
  new MigrateError(code, message, ExitCode.StepFailed, { cause });

export const isMigrateError = (e: unknown): e is MigrateError => e instanceof MigrateError;
