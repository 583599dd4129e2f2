// The simulator's clock: simulated epoch milliseconds that run `scale` times faster than real
// time, can be paused, and continue across restarts (the last reading is persisted).

export interface ClockState {
  /** Simulated time at the last anchor. */
  simMs: number;
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
    this.anchorSim = state.simMs;
    this.scaleValue = state.scale;
    this.pausedValue = state.paused;
  }

  now(): number {
    if (this.pausedValue) return this.anchorSim;
    return Math.floor(this.anchorSim + (this.realNow() - this.anchorReal) * this.scaleValue);
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
    return { simMs: this.now(), scale: this.scaleValue, paused: this.pausedValue };
  }
}
