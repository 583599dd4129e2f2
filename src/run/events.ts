// Progress leaves the runner as typed events; the CLI renders them (listr2 or plain lines).

export type RunEvent =
  | { kind: 'run-started'; plan: string; steps: number; done: number; resumed: boolean }
  | { kind: 'step-started'; step: string; title: string; label?: string; /** A job a previous run left in flight, now watched again. */ adopted?: boolean }
  | { kind: 'job-state'; step: string; database: string; label: string; state: string; progress: string; elapsedMs: number }
  | { kind: 'step-finished'; step: string; title: string; note?: string }
  | { kind: 'step-retry'; step: string; reason: string; nextLabel: string }
  | { kind: 'step-failed'; step: string; title: string; error: string }
  | { kind: 'manual'; step: string; title: string; instructions: string; sql: string[] }
  | { kind: 'checkpoint'; path: string }
  | { kind: 'run-finished'; result: RunResult; done: number; total: number; bytesDone: number; bytesTotal: number };

export type RunResult = 'done' | 'failed' | 'interrupted' | 'refused';
