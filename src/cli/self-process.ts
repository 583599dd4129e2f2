// Starts this CLI as a child process: the compiled entry, or the TypeScript one through tsx when
// running from source (tests, `npx tsx`).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function spawnSelf(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './entry.ts' : './entry.js', import.meta.url));
  const loader = fromSource ? ['--import', import.meta.resolve('tsx')] : [];
  return spawn(process.execPath, [...loader, entry, ...args], { cwd: opts.cwd, env: opts.env });
}
