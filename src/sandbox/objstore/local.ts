// The HDFS stand-in: the simulator speaks no HDFS, so an `hdfs://` repository is a plain
// directory under the simulator's data dir (see src/sandbox/README.md).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjStore } from './types.js';

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Keys map to files under `root` (`/` separated whatever the platform). */
export function localStore(root: string): ObjStore {
  const keyOf = (p: string): string => relative(root, p).split(sep).join('/');
  return {
    put(key, body) {
      const p = join(root, key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
      return Promise.resolve();
    },
    get(key) {
      return Promise.resolve(readFileSync(join(root, key)));
    },
    list(prefix) {
      const out = walk(root)
        .map((p) => ({ key: keyOf(p), size: statSync(p).size }))
        .filter((o) => o.key.startsWith(prefix))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return Promise.resolve(out);
    },
    head(key) {
      try {
        const s = statSync(join(root, key));
        return Promise.resolve(s.isFile() ? { key, size: s.size } : undefined);
      } catch {
        return Promise.resolve(undefined);
      }
    },
    delete(key) {
      rmSync(join(root, key), { force: true });
      return Promise.resolve();
    },
  };
}
