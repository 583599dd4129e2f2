// The goals the benchmarks answer to (issue #17), by figure name: a figure with one of these names
// is shown with its goal and met or missed, whichever bench produced it. A bench module may also
// export `targets` for figures of its own. Nothing here is an assertion: a miss prints as a miss.
export interface Target {
  text: string;
  met: (value: number) => boolean;
}

export type Targets = Record<string, Target>;

export const GOALS: Targets = {
  'makespan / best-known': { text: '≤ 1.02 (the skewed workload)', met: (v) => v <= 1.02 },
  'makespan / lower bound': { text: '≤ 1.05 (see the bound figure for whether it is reachable)', met: (v) => v <= 1.05 },
  'worst makespan / best-known over the sweep': { text: '≤ 1.05', met: (v) => v <= 1.05 },
  'speed-up over pipelined runbook': { text: '≥ 1.5 (shared transfers)', met: (v) => v >= 1.5 },
  'watching: statements per job per hour': { text: '≤ 60', met: (v) => v <= 60 },
  'apply alone: steps per second at 10,000 steps': { text: '≥ 1,000', met: (v) => v >= 1000 },
  'resume to first submission, 10,000 steps (s)': { text: '< 1', met: (v) => v < 1 },
  'plan 100,000 tables, default mode (s)': { text: '< 30', met: (v) => v < 30 },
  'catch-up makespan: changed tables whole / catch-up': { text: '≥ 20 (issue #16)', met: (v) => v >= 20 },
  'peak RSS (MiB)': { text: '< 1,024 (plan of 100,000 tables, default mode)', met: (v) => v < 1024 },
};
