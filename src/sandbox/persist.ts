// Keeps the world in `<dataDir>/world.json`: written atomically (temp, fsync, rename), at most
// once per `debounceMs` while statements change it, and at once on flush (stop).
// The file is JSON lines: a head line (everything but the databases), then one line per database,
// so no single string has to hold the whole world (V8 caps strings at ~512 MB; a 100 000-table
// catalog is ~400 MB of JSON). A file of format 1 (one JSON document) still loads.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomicSync } from './atomic-write.js';
import type { ClockState } from './clock.js';
import type { SimWorld } from './store.js';

export interface Persisted {
  format: number;
  version: string;
  clock: ClockState;
  world: SimWorld;
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private suspended = 0;
  private dirty = false;
  /** Everything must be serialized again (a change without a named database). */
  private allDirty = true;
  private readonly dirtyDbs = new Set<string>();
  /** Each database's last written line, reused while that database object is unchanged. */
  private lines = new Map<string, { db: object; line: string }>();
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
    const bytes = readFileSync(this.file);
    let from = 0;
    const lines: unknown[] = [];
    while (from < bytes.length) {
      const eol = bytes.indexOf(0x0a, from);
      const to = eol < 0 ? bytes.length : eol;
      if (to > from) lines.push(JSON.parse(bytes.toString('utf8', from, to)));
      from = to + 1;
    }
    const head = lines[0] as Persisted | undefined;
    if (!head || head.format === 1) return head;
    head.world.databases = {};
    for (const line of lines.slice(1)) {
      const [name, db] = line as [string, SimWorld['databases'][string]];
      head.world.databases[name] = db;
    }
    return head;
  }

  /**
   * Notes a change; the write happens shortly after, off the statement's path. Naming the only
   * database that changed lets the write reuse every other database's line (big worlds);
   * without a name, everything is serialized again.
   */
  markDirty(database?: string): void {
    this.dirty = true;
    if (database === undefined) this.allDirty = true;
    else this.dirtyDbs.add(database);
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

  /**
   * Writes now if anything changed since the last write. Called before a statement that changed
   * the world is acknowledged: a client told "OK" must find the change after a restart, as a
   * Doris FE's edit log promises (the debounced write alone could lose the last 250 ms).
   */
  flushIfDirty(): void {
    if (this.dirty && this.suspended === 0) this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
    const { world, ...head } = this.snapshot();
    const { databases, ...rest } = world;
    const lines = new Map<string, { db: object; line: string }>();
    writeAtomicSync(this.file, (fd) => {
      // Lines are gathered into chunks of a few MB: fewer writes, no giant string.
      let chunk = `${JSON.stringify({ ...head, format: 2, world: rest })}\n`;
      for (const [name, db] of Object.entries(databases)) {
        const cached = this.lines.get(name);
        const line = cached && cached.db === db && !this.allDirty && !this.dirtyDbs.has(name) ? cached.line : JSON.stringify([name, db]);
        lines.set(name, { db, line });
        chunk += `${line}\n`;
        if (chunk.length > 4_000_000) {
          writeFileSync(fd, chunk);
          chunk = '';
        }
      }
      writeFileSync(fd, chunk); // loops over short writes, unlike writeSync
    });
    this.lines = lines;
    this.allDirty = false;
    this.dirtyDbs.clear();
  }
}
