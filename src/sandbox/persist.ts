// Keeps the world in `<dataDir>/world.json`: written atomically (temp, fsync, rename), at most
// once per `debounceMs` while statements change it, and at once on flush (stop).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClockState } from './clock.js';
import type { SimWorld } from './store.js';

export interface Persisted {
  format: 1;
  version: string;
  clock: ClockState;
  world: SimWorld;
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private suspended = 0;
  private dirty = false;
  readonly file: string;

  constructor(
    readonly dataDir: string,
    private readonly snapshot: () => Persisted,
    private readonly debounceMs = 250,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'world.json');
  }

  load(): Persisted | undefined {
    if (!existsSync(this.file)) return undefined;
    return JSON.parse(readFileSync(this.file, 'utf8')) as Persisted;
  }

  /** Notes a change; the write happens shortly after, off the statement's path. */
  markDirty(): void {
    this.dirty = true;
    if (this.suspended > 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Runs `fn` without intermediate writes (bulk seeding), then writes once. */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    this.suspended++;
    try {
      return await fn();
    } finally {
      this.suspended--;
      if (this.suspended === 0 && this.dirty) this.flush();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(this.snapshot()));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dir = openSync(this.dataDir, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
