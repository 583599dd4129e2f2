// The simulator's clock: simulated epoch milliseconds that run `scale` times faster than real
// time, can be paused, and continue across restarts (the last reading is persisted). A real FE's
// wall clock runs on while it is down, and its jobs' timeouts and times count that time: so a
// restart adds the real time since the last reading (scaled), unless the clock was paused.

export interface ClockState {
  /** Simulated time at the last anchor. */
  simMs: number;
  /** Real epoch ms of that reading; absent in data directories written before it was kept. */
  realMs?: number;
  scale: number;
  paused: boolean;
}

export class SimClock {
  private anchorReal: number;
  private anchorSim: number;
  private scaleValue: number;
  private pausedValue: boolean;

  constructor(state: ClockState, private readonly realNow: () => number = Date.now) {
    this.anchorReal = realNow();
    // The time it was down (never negative, should the real clock have been set back).
    const downMs = state.paused || state.realMs === undefined ? 0 : Math.max(0, this.anchorReal - state.realMs);
    this.anchorSim = state.simMs + Math.floor(downMs * state.scale);
    this.scaleValue = state.scale;
    this.pausedValue = state.paused;
  }

  now(): number {
    return this.at(this.realNow());
  }
  private at(realMs: number): number {
    if (this.pausedValue) return this.anchorSim;
    return Math.floor(this.anchorSim + (realMs - this.anchorReal) * this.scaleValue);
  }
  get scale(): number {
    return this.scaleValue;
  }
  get paused(): boolean {
    return this.pausedValue;
  }
  private reanchor(): void {
    this.anchorSim = this.now();
    this.anchorReal = this.realNow();
  }
  setScale(scale: number): void {
    if (!(scale > 0)) throw new Error('time scale must be positive');
    this.reanchor();
    this.scaleValue = scale;
  }
  pause(): void {
    this.reanchor();
    this.pausedValue = true;
  }
  resume(): void {
    this.reanchor();
    this.pausedValue = false;
  }
  /** Moves simulated time forward by `ms` (tests and benchmarks). */
  advance(ms: number): void {
    this.reanchor();
    this.anchorSim += ms;
  }
  state(): ClockState {
    const realMs = this.realNow();
    return { simMs: this.at(realMs), realMs, scale: this.scaleValue, paused: this.pausedValue };
  }
}
