// Every command's --help answers what a script needs: an example of the command, the environment
// variables it reads, and its exit codes.
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.js';
import { captureIO } from '../support/io.js';

describe('--help', () => {
  const io = captureIO({ cwd: process.cwd() });
  const commands = buildProgram(io, () => undefined).commands.map((c) => c.name());

  it('covers every command', () => {
    expect(commands).toEqual(expect.arrayContaining(['plan', 'review', 'apply', 'status', 'verify', 'cancel', 'list', 'catch-up', 'sandbox', 'demo']));
  });

  it.each(commands)('%s --help gives an example, the environment and the exit codes', async (name) => {
    const out = captureIO({ cwd: process.cwd() });
    expect(await main([name, '--help'], out)).toBe(0);
    const text = out.out();
    expect(text).toMatch(new RegExp(`Examples:\\n  \\$ doris-migrate ${name}\\b`));
    expect(text).toMatch(/\nEnvironment:/);
    expect(text).toMatch(/\nExit codes:\n {2}0 {2}/);
  });

  it('names the variables each command reads', async () => {
    const help = async (name: string) => {
      const out = captureIO({ cwd: process.cwd() });
      await main([name, '--help'], out);
      return out.out();
    };
    for (const name of ['plan', 'apply']) for (const variable of ['DORIS_SOURCE_PASSWORD', 'DORIS_TARGET_PASSWORD', 'AWS_ACCESS_KEY_ID', 'AZURE_STORAGE_KEY', 'CI']) expect(await help(name)).toContain(variable);
    expect(await help('review')).toContain('Environment: none');
  });
});
