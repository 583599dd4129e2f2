// An object store in a local directory (keys are paths under it), counting what is put: the
// benchmarks measure the run's record over it (storage/backend.ts runRecordStore) without a server.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore } from '../../src/storage/backend.js';

export interface DirStore extends ObjectStore {
  /** Bytes and objects put so far. */
  counters: { bytesPut: number; puts: number };
}

export function dirStore(root: string): DirStore {
  const counters = { bytesPut: 0, puts: 0 };
  const walk = (dir: string): string[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names.flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  };
  return {
    counters,
    put(key, body) {
      const path = join(root, key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
      counters.bytesPut += body.length;
      counters.puts++;
      return Promise.resolve();
    },
    get: (key) => Promise.resolve(readFileSync(join(root, key))),
    list(prefix) {
      const keys = walk(root).map((f) => relative(root, f).split(sep).join('/')).filter((k) => k.startsWith(prefix));
      return Promise.resolve(keys.map((key) => ({ key, size: statSync(join(root, key)).size })));
    },
    delete(key) {
      rmSync(join(root, key), { force: true });
      return Promise.resolve();
    },
  };
}
