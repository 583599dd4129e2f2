// Bytes counted from Doris's Progress column while jobs run.
import { describe, expect, it } from 'vitest';
import { movedShare, progressFraction } from '../../src/cli/progress-bytes.js';

describe('progress from the Progress column', () => {
  it('sums finished over total files across the tasks listed', () => {
    expect(progressFraction('[10021: 3/10], [10022: 7/10]')).toBe(0.5);
    expect(progressFraction('[10021: 0/4]')).toBe(0);
    expect(progressFraction('')).toBeUndefined();
    expect(progressFraction('[10021: 0/0]')).toBeUndefined();
  });
  it('counts a job by its state: nothing before the transfer, the share during it, all after it', () => {
    expect(movedShare('SNAPSHOTING', '')).toBe(0);
    expect(movedShare('UPLOADING', '[1: 1/4]')).toBe(0.25);
    expect(movedShare('DOWNLOADING', '[1: 2/4], [2: 4/4]')).toBe(0.75);
    expect(movedShare('SAVE_META', '')).toBe(1);
    expect(movedShare('COMMITTING', '')).toBe(1);
  });
});
