// Small disks for the disk-fault tests: a real tmpfs where the machine lets us mount one (root, as
// CI runs), else the same faults injected at the product's file layer (src/file-layer.ts), so
// contributors without root run the same cases. The injected disk behaves like tmpfs: whole
// 4 KiB pages per file, a write that needs a page more than is free writes what fits and then
// fails with ENOSPC, hard links share their pages, and a read-only disk refuses every change.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, statSync, writeFileSync, type Mode, type OpenMode, type PathLike, type PathOrFileDescriptor } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { realFileLayer, setFileLayer, type FileLayer } from '../../src/file-layer.js';

/** A small disk mounted (or pretended) on a directory. */
export interface SmallDisk {
  readonly kind: 'tmpfs' | 'injected';
  /** Leaves exactly `pages` free pages. */
  fill(pages: number): void;
  /** Frees what fill took. */
  unfill(): void;
  /** Remounts read-only. */
  readOnly(): void;
  /** Unmounts (the directory keeps what was written to it only for the injected disk). */
  release(): void;
}

const PAGE = 4096;
const pagesOf = (bytes: number): number => Math.ceil(bytes / PAGE);

/** Whether this process may mount a tmpfs (tried once on a scratch directory). */
export function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = join('/tmp', `dm-mount-probe-${process.pid}`);
  mkdirSync(probe, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** A real tmpfs of `kib` KiB on `dir`, keeping what was in it. */
function tmpfsDisk(dir: string, kib: number, keep: boolean): SmallDisk {
  if (keep) {
    const aside = `${dir}.aside`;
    renameSync(dir, aside);
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
    for (const f of readdirSync(aside)) copyFileSync(join(aside, f), join(dir, f));
  } else {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
  }
  const filler = join(dir, 'filler');
  return {
    kind: 'tmpfs',
    fill(pages) {
      const { bsize, bavail } = statfsSync(dir);
      if (bavail > pages) writeFileSync(filler, Buffer.alloc((bavail - pages) * bsize));
      if (statfsSync(dir).bavail !== pages) throw new Error(`could not leave ${pages} pages free on ${dir}`);
    },
    unfill: () => rmSync(filler, { force: true }),
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    release: () => execFileSync('umount', [dir]),
  };
}

const fault = (code: 'ENOSPC' | 'EROFS', syscall: string, path?: string): NodeJS.ErrnoException => {
  const text = code === 'ENOSPC' ? 'no space left on device' : 'read-only file system';
  return Object.assign(new Error(`${code}: ${text}, ${syscall}${path ? ` '${path}'` : ''}`), { code, errno: code === 'ENOSPC' ? -28 : -30, syscall, ...(path ? { path } : {}) });
};

const writes = (flags: OpenMode | undefined): boolean =>
  typeof flags === 'number' ? (flags & 0o3) !== 0 || (flags & 0o100) !== 0 : /[wa+]/.test(flags ?? 'r');
const truncates = (flags: OpenMode | undefined): boolean => (typeof flags === 'number' ? (flags & 0o1000) !== 0 : (flags ?? 'r').startsWith('w'));

/** The same disk as faults at the file layer, for `dir` only; other paths pass through. */
function injectedDisk(dir: string, kib: number): SmallDisk {
  const root = resolve(dir) + sep;
  const inside = (p: unknown): boolean => typeof p === 'string' && (resolve(p) + sep).startsWith(root) && resolve(p) !== resolve(dir);
  // Files under dir by path; hard links share one entry, freed when no path is left.
  interface Inode { size: number }
  const files = new Map<string, Inode>();
  const inode = (p: string): Inode => {
    const key = resolve(p);
    let node = files.get(key);
    if (!node) {
      let size = 0;
      try {
        size = statSync(key).size;
      } catch {
        // a new file
      }
      node = { size };
      files.set(key, node);
    }
    return node;
  };
  for (const f of readdirSync(dir)) inode(join(dir, f));
  let free = pagesOf(kib * 1024) - [...files.values()].reduce((s, n) => s + pagesOf(n.size), 0);
  let filled = 0;
  let readOnly = false;
  const fds = new Map<number, { node: Inode; path: string; position: number; writable: boolean }>();

  /** Bytes of `want` that fit when `node` grows to `end`; takes their pages from the free ones. */
  const room = (node: Inode, start: number, want: number): number => {
    const end = start + want;
    if (end <= node.size) return want;
    const extra = pagesOf(end) - pagesOf(node.size);
    if (extra <= free) {
      free -= extra;
      return want;
    }
    const fits = Math.max(0, (pagesOf(node.size) + free) * PAGE - start);
    free = 0;
    return Math.min(want, fits);
  };
  const grow = (node: Inode, end: number): void => void (node.size = Math.max(node.size, end));
  const drop = (p: string): void => {
    const node = files.get(resolve(p));
    files.delete(resolve(p));
    if (node && ![...files.values()].includes(node)) free += pagesOf(node.size);
  };
  const refuse = (syscall: string, p: string): void => {
    if (readOnly) throw fault('EROFS', syscall, p);
  };
  const bytes = (data: unknown): Buffer => (typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array));
  const truncate = (node: Inode): void => {
    free += pagesOf(node.size);
    node.size = 0;
  };
  /**
   * Writes `data` into `p` at `start`, as much as fits. A single write(2) returns short (`short`);
   * the loops of writeFileSync and appendFileSync go on and meet ENOSPC. Nothing fits: ENOSPC.
   */
  const put = (p: string, data: Buffer, start: number, short: boolean, write: (b: Buffer) => void): number => {
    const node = inode(p);
    const n = room(node, start, data.length);
    if (n > 0) write(data.subarray(0, n));
    grow(node, start + n);
    if (n === 0 ? data.length > 0 : n < data.length && !short) throw fault('ENOSPC', 'write', p);
    return n;
  };

  const real = realFileLayer;
  const layer: FileLayer = {
    ...real,
    openSync: ((p: PathLike, flags: OpenMode = 'r', mode?: Mode) => {
      const path = String(p);
      if (!inside(path)) return real.openSync(p, flags, mode);
      const writable = writes(flags);
      if (writable) refuse('open', path);
      const fd = real.openSync(p, flags, mode);
      const node = inode(path);
      if (truncates(flags)) truncate(node);
      fds.set(fd, { node, path, position: typeof flags === 'string' && flags.startsWith('a') ? node.size : 0, writable });
      return fd;
    }) as FileLayer['openSync'],
    closeSync: (fd) => {
      fds.delete(fd);
      real.closeSync(fd);
    },
    writeSync: ((fd: number, buffer: unknown, ...rest: unknown[]) => {
      const open = fds.get(fd);
      if (!open) return (real.writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
      refuse('write', open.path);
      let data = bytes(buffer);
      if (typeof buffer !== 'string' && typeof rest[0] === 'number') data = data.subarray(rest[0], rest[0] + (typeof rest[1] === 'number' ? rest[1] : data.length - rest[0]));
      const n = put(open.path, data, open.position, true, (b) => real.writeSync(fd, b));
      open.position += n;
      return n;
    }),
    writeFileSync: ((file: PathOrFileDescriptor, data: unknown, options?: unknown) => {
      const open = typeof file === 'number' ? fds.get(file) : undefined;
      const path = open?.path ?? (typeof file === 'number' ? undefined : String(file));
      if (path === undefined || !inside(path)) return (real.writeFileSync as (...a: unknown[]) => void)(file, data, options);
      refuse(open ? 'write' : 'open', path);
      if (!open) truncate(inode(path));
      const start = open ? open.position : 0;
      try {
        put(path, bytes(data), start, false, (b) => (real.writeFileSync as (...a: unknown[]) => void)(file, b, options));
      } finally {
        if (open) open.position = inode(path).size;
      }
    }),
    appendFileSync: ((file: PathOrFileDescriptor, data: unknown, options?: unknown) => {
      const path = String(file);
      if (typeof file === 'number' || !inside(path)) return (real.appendFileSync as (...a: unknown[]) => void)(file, data, options);
      refuse('open', path);
      put(path, bytes(data), inode(path).size, false, (b) => (real.appendFileSync as (...a: unknown[]) => void)(file, b, options));
    }),
    fsyncSync: (fd) => {
      const open = fds.get(fd);
      if (open?.writable) refuse('fsync', open.path);
      real.fsyncSync(fd);
    },
    fdatasyncSync: (fd) => {
      const open = fds.get(fd);
      if (open?.writable) refuse('fdatasync', open.path);
      real.fdatasyncSync(fd);
    },
    ftruncateSync: (fd, len) => {
      const open = fds.get(fd);
      if (open) {
        refuse('ftruncate', open.path);
        const before = pagesOf(open.node.size);
        open.node.size = len ?? 0;
        free += before - pagesOf(open.node.size);
      }
      real.ftruncateSync(fd, len);
    },
    renameSync: (from, to) => {
      if (inside(String(from)) || inside(String(to))) {
        refuse('rename', String(from));
        const node = inode(String(from));
        drop(String(to));
        files.delete(resolve(String(from)));
        files.set(resolve(String(to)), node);
      }
      real.renameSync(from, to);
    },
    linkSync: (existing, link) => {
      if (inside(String(link))) {
        refuse('link', String(link));
        real.linkSync(existing, link);
        files.set(resolve(String(link)), inode(String(existing)));
        return;
      }
      real.linkSync(existing, link);
    },
    unlinkSync: (p) => {
      if (inside(String(p))) {
        refuse('unlink', String(p));
        real.unlinkSync(p);
        drop(String(p));
        return;
      }
      real.unlinkSync(p);
    },
    mkdirSync: ((p: PathLike, options?: unknown) => {
      if (inside(String(p)) || resolve(String(p)) === resolve(dir)) {
        // An existing directory is no change (recursive mkdir of the plans directory).
        try {
          if (statSync(String(p)).isDirectory()) return undefined;
        } catch {
          refuse('mkdir', String(p));
        }
      }
      return (real.mkdirSync as (...a: unknown[]) => string | undefined)(p, options);
    }),
  };
  setFileLayer(layer);
  return {
    kind: 'injected',
    fill(pages) {
      filled += free - pages;
      free = pages;
    },
    unfill() {
      free += filled;
      filled = 0;
    },
    readOnly: () => void (readOnly = true),
    release: () => setFileLayer(realFileLayer),
  };
}

/**
 * A `kib` KiB disk on `dir`: a real tmpfs when `mount` is allowed, else the injected one. With
 * `keep`, what `dir` holds stays in it (the tmpfs gets a copy).
 */
export function smallDisk(dir: string, kib: number, opts: { mount: boolean; keep?: boolean }): SmallDisk {
  return opts.mount ? tmpfsDisk(dir, kib, opts.keep ?? false) : (mkdirSync(dir, { recursive: true }), injectedDisk(dir, kib));
}
