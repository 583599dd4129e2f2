// The plan's coarse estimates: whole minutes, hours above 59 of them, never "60 min" in an hour.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/plan/render.js';

describe('formatDuration', () => {
  it('rounds to whole minutes, at least one', () => {
    expect(formatDuration(0)).toBe('1 min');
    expect(formatDuration(89)).toBe('1 min');
    expect(formatDuration(91)).toBe('2 min');
    expect(formatDuration(3569)).toBe('59 min');
  });

  it('carries a rounded-up hour instead of writing 60 minutes', () => {
    expect(formatDuration(3590)).toBe('1 h 0 min');
    expect(formatDuration(7190)).toBe('2 h 0 min');
    expect(formatDuration(7260)).toBe('2 h 1 min');
  });
});
