// The bounded pool: results in the items' order, never more than the limit in flight, and on
// failures the error of the earliest failing item, as a loop taking them one at a time would meet,
// whichever failure comes back first. Answers are released by hand, so the order is exact.
import { describe, expect, it } from 'vitest';
import { eachLimited, mapLimited } from '../src/each-limited.js';

/** A piece of work per item that settles only when the test says so. */
function controlled(count: number) {
  const started: number[] = [];
  const settle: ((outcome: { value?: string; error?: Error }) => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const work = (i: number): Promise<string> => {
    started.push(i);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    return new Promise<string>((resolve, reject) => {
      settle[i] = ({ value, error }) => {
        inFlight--;
        if (error) reject(error);
        else resolve(value!);
      };
    });
  };
  const items = Array.from({ length: count }, (_, i) => i);
  return { items, work, started, settle: (i: number, outcome: { value?: string; error?: Error }) => settle[i]!(outcome), maxInFlight: () => maxInFlight };
}

/** Lets the pool's workers take their next items. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Turns until `started` holds `i` (a pool that never starts it fails here, within a bound). */
async function untilStarted(started: number[], i: number): Promise<void> {
  for (let n = 0; n < 100 && !started.includes(i); n++) await turn();
  if (!started.includes(i)) throw new Error(`item ${i} never started (started: ${started.join(', ')})`);
}

describe('mapLimited', () => {
  it('returns the results in the items order, whatever order they came back in, with at most the limit in flight', async () => {
    const c = controlled(10);
    const all = mapLimited(c.items, 3, c.work);
    for (const i of [2, 0, 1, 5, 3, 4, 8, 6, 9, 7]) {
      await untilStarted(c.started, i);
      c.settle(i, { value: `r${i}` });
    }
    expect(await all).toEqual(c.items.map((i) => `r${i}`));
    expect(c.maxInFlight()).toBe(3);
  });

  it('rejects with the earliest failing item, though a later one failed first, and starts none after a failure', async () => {
    const c = controlled(10);
    const all = mapLimited(c.items, 4, c.work);
    all.catch(() => undefined);
    expect(c.started).toEqual([0, 1, 2, 3]);
    c.settle(3, { error: new Error('item 3') });
    c.settle(0, { value: 'r0' });
    await turn();
    // A failure is known: nothing new starts, but those in flight are waited for.
    expect(c.started).toEqual([0, 1, 2, 3]);
    c.settle(2, { error: new Error('item 2') });
    c.settle(1, { value: 'r1' });
    await expect(all).rejects.toThrow('item 2');
  });

  it('holds for eachLimited, which the catalog reader uses', async () => {
    const c = controlled(4);
    const all = eachLimited(c.items, 4, async (i) => void (await c.work(i)));
    all.catch(() => undefined);
    c.settle(3, { error: new Error('item 3') });
    await turn();
    c.settle(1, { error: new Error('item 1') });
    c.settle(0, { value: 'r0' });
    c.settle(2, { value: 'r2' });
    await expect(all).rejects.toThrow('item 1');
  });
});
