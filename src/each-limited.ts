// A bounded worker pool for independent reads: the FE's answer time overlaps the round trips
// while no more statements are in flight than the client's connection pool holds.

/**
 * `work` over `items` with at most `limit` in flight, the results in the items' order. Items start
 * in order and none starts after a failure; once those in flight settled, it rejects with the
 * failure of the earliest item: the error a loop taking them one at a time would have met first,
 * whichever answer came back first.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  /** The earliest item that failed so far (Infinity: none), and its error. */
  let failedAt = Infinity;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failedAt === Infinity && next < items.length) {
      const at = next++;
      try {
        results[at] = await work(items[at]!);
      } catch (error) {
        if (at < failedAt) [failedAt, failure] = [at, error];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failedAt !== Infinity) throw failure;
  return results;
}

/** `mapLimited` for work that returns nothing. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  await mapLimited(items, limit, work);
}
