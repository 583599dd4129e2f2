// Replica allocations by meaning: spacing and tag order do not matter, counts and tags do.
import { describe, expect, it } from 'vitest';
import { normalAllocation, sameAllocation, samePropertyValue } from '../../src/doris/replica-allocation.js';

describe('replica allocation', () => {
  it('ignores spaces and tag order', () => {
    expect(normalAllocation(' tag.location.b: 1, tag.location.a:2 ')).toBe('tag.location.a:2,tag.location.b:1');
    expect(sameAllocation('tag.location.default:3', 'tag.location.default: 3')).toBe(true);
    expect(sameAllocation('tag.location.a: 2, tag.location.b: 1', 'tag.location.b:1,tag.location.a:2')).toBe(true);
    expect(sameAllocation('tag.location.default: 3', 'tag.location.default: 1')).toBe(false);
    expect(sameAllocation('tag.location.a: 1', 'tag.location.b: 1')).toBe(false);
  });

  it('compares allocation properties by meaning and the rest exactly', () => {
    expect(samePropertyValue('dynamic_partition.replication_allocation', 'tag.location.default:1', 'tag.location.default: 1')).toBe(true);
    expect(samePropertyValue('replication_allocation', 'tag.location.default: 1', undefined)).toBe(false);
    expect(samePropertyValue('colocate_with', 'g', 'g')).toBe(true);
    expect(samePropertyValue('colocate_with', 'g', 'G')).toBe(false);
    expect(samePropertyValue('dynamic_partition.enable', 'true', 'true ')).toBe(false);
  });
});
