// `plan` changes nothing, so an FE it cannot reach is a refusal before anything ran (exit 4),
// not a failed step of a run that could be resumed (exit 1, what `apply` says for the same error).
import { ExitCode, MigrateError, isMigrateError } from '../errors.js';

const UNREACHABLE = new Set(['connection-failed', 'connection-lost']);

export function refuseUnreachable(e: unknown): never {
  if (isMigrateError(e) && UNREACHABLE.has(e.code) && e.exitCode !== ExitCode.Refused) {
    throw new MigrateError(e.code, e.message, ExitCode.Refused, { cause: e });
  }
  throw e;
}
