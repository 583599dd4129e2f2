// Driving an interactive command in a real pseudo-terminal through tmux (send-keys / capture-pane).
// CI is unset for the child: with CI set, the CLI (rightly) never prompts.
import { execFileSync } from 'node:child_process';

export class TmuxSession {
  constructor(readonly name: string) {}

  static start(name: string, command: string, env: Record<string, string>, cwd: string): TmuxSession {
    const exports = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, "'\\''")}'`).join(' ');
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', '200', '-y', '50', '-c', cwd, `env -u CI ${exports} ${command}; echo "[exit $?]"; sleep 60`]);
    return new TmuxSession(name);
  }

  /** The pane's text; `joined` undoes the terminal's wrapping of long lines. */
  screen(joined = false): string {
    return execFileSync('tmux', ['capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', this.name, '-S', '-200']).toString();
  }

  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }

  press(key: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, key]);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name]);
    } catch {
      // already gone
    }
  }
}
