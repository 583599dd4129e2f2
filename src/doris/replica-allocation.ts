// Replica allocations compared as Doris means them: `tag.location.default:3` and
// `tag.location.default: 3` are one allocation, and so are the same tags in another order. Pure.

/** The allocation's `tag:count` parts without spaces, sorted. */
export const normalAllocation = (allocation: string): string =>
  allocation.split(',').map((part) => part.replace(/\s+/g, '')).filter(Boolean).sort().join(',');

export const sameAllocation = (a: string, b: string): boolean => normalAllocation(a) === normalAllocation(b);

/** Whether a table property holds `wanted`: allocations by meaning, everything else exactly. */
export const samePropertyValue = (key: string, wanted: string, actual: string | undefined): boolean =>
  actual !== undefined && (key.endsWith('replication_allocation') ? sameAllocation(wanted, actual) : wanted === actual);
