// SIGINT/SIGTERM during `apply`: the first stops submitting and lets the run save its state,
// write the report and release the lock (exit 3); a second exits at once, but only after the
// work registered with `onForcedExit` (releasing the lock), so no signal leaves a lock behind.
// listr2 must not install its own SIGINT handler (live-progress.ts), which would exit 127 first.
import { setMaxListeners } from 'node:events';
import { ExitCode } from '../errors.js';
import type { CliIO } from './io.js';

const forcedExitWork = new WeakMap<AbortSignal, Set<() => void>>();

/** Registers `work` to run if a second signal ends the process; returns its unregistration. */
export function onForcedExit(signal: AbortSignal, work: () => void): () => void {
  const set = forcedExitWork.get(signal) ?? new Set();
  forcedExitWork.set(signal, set);
  set.add(work);
  return () => void set.delete(work);
}

export function signalController(io: CliIO, exit: (code: number) => never = (code) => process.exit(code)): AbortController {
  const controller = new AbortController();
  // Every step waiting on a poll listens for the abort: more than ten at once is normal, not a leak.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: string) => {
    if (controller.signal.aborted) {
      io.stderr.write(`\n${name} again: exiting now (state is saved up to the last checkpoint; running Doris jobs continue; apply again to resume)\n`);
      for (const work of forcedExitWork.get(controller.signal) ?? []) {
        try {
          work();
        } catch (e) {
          io.stderr.write(`doris-migrate: ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
      exit(ExitCode.Interrupted);
    }
    io.stderr.write(`\n${name}: stopping after the current checkpoint; running Doris jobs are left running (apply again to resume)\n`);
    controller.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  return controller;
}
