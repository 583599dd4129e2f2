// The CLI's window on the process: streams, environment, working directory. Tests pass their own.
import type { Readable, Writable } from 'node:stream';

export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdin is a terminal and CI is not set: prompting is allowed. */
  interactive: boolean;
  /** stdout is a terminal: live progress may redraw lines. */
  stdoutIsTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stdin.isTTY) && !process.env.CI,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}

export const writeLine = (stream: Writable, line = ''): void => {
  stream.write(`${line}\n`);
};
