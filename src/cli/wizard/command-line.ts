// The `plan --no-interactive` command line that repeats a wizard's answers, so a plan made by
// hand can be made again in a script. Secrets never appear: the line names the variables the
// command reads. Pure.

/** Single-quotes a shell word when it needs it. */
export const shellWord = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export interface CommandLine {
  /** Flags in order: [flag] for a switch, [flag, value] otherwise. */
  flags: ([string] | [string, string])[];
  /** Environment variables the command reads (never their values). */
  env: string[];
}

/** `# reads ...` then `doris-migrate plan ...`, continued over lines for reading. */
export function renderCommandLine(cmd: CommandLine): string {
  const words = ['doris-migrate plan', ...cmd.flags.map((f) => f.map(shellWord).join(' '))];
  const env = cmd.env.length ? [`# reads ${cmd.env.join(', ')} from the environment`] : [];
  return [...env, words.join(' \\\n    ')].join('\n');
}
