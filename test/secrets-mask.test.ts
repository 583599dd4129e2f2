// The one mask of secrets (src/secrets.ts): the trail, the run's error records and apply's errors use it.
import { describe, expect, it } from 'vitest';
import { maskedJson, maskError, secretMask } from '../src/secrets.js';

describe('the secrets mask', () => {
  it('masks every secret wherever it appears, longest first, and ignores trivial values', () => {
    const mask = secretMask(['hunter22', 'hunter2', undefined, '', 'x']);
    expect(mask('pw=hunter22 and hunter2, x')).toBe('pw=*** and ***, x');
  });
  it('masks strings before JSON escapes them, so a secret with a quote or backslash is still found', () => {
    const mask = secretMask(['a"b\\c']);
    expect(maskedJson({ error: 'key "a"b\\c" refused' }, mask)).toBe('{"error":"key \\"***\\" refused"}');
  });
  it('masks an error in place: its message and its stack', () => {
    const e = maskError(new Error('refused: hunter22'), secretMask(['hunter22']));
    expect(e.message).toBe('refused: ***');
    expect(e.stack).not.toContain('hunter22');
  });
});
