// A bounded worker pool for independent reads: the FE's answer time overlaps the round trips
// while no more statements are in flight than the client's connection pool holds.

/** Runs `work` over `items` with at most `limit` in flight; rejects with the first failure. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
