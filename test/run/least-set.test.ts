// LeastSet names the least member by a fixed key however members leave and come back; compared
// with a plain minimum over a Set on random operations.
import { describe, expect, it } from 'vitest';
import { LeastSet } from '../../src/run/least-set.js';

describe('LeastSet', () => {
  it('names the member of the least key after random adds and deletes, members coming back included', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const key = (n: number): number => (n * 7919) % 1000;
    const set = new LeastSet(key);
    const plain = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(random() * 300);
      if (random() < 0.55) {
        set.add(n);
        plain.add(n);
      } else {
        set.delete(n);
        plain.delete(n);
      }
      const expected = plain.size ? Math.min(...[...plain].map(key)) : undefined;
      const least = set.least();
      expect(least === undefined ? undefined : key(least)).toBe(expected);
      expect(set.size).toBe(plain.size);
    }
  });
});
