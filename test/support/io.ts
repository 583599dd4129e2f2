// A CliIO that captures output, for running commands in-process.
import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';

export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

export function captureIO(opts: { cwd: string; env?: Record<string, string | undefined>; interactive?: boolean }): CapturedIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: opts.env ?? {},
    cwd: opts.cwd,
    interactive: opts.interactive ?? false,
    stdoutIsTTY: false,
    out: () => out,
    err: () => err,
  };
}
