// verify's progress on stderr: plain lines at every 10% per side in a log, one redrawn line on a terminal.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { verifyProgress } from '../../src/cli/verify-progress.js';

const capture = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
};

describe('verify progress', () => {
  it('writes a plain line per 10% step and side, and the last one always', () => {
    const out = capture();
    const p = verifyProgress(out.stream, false);
    for (let done = 1; done <= 25; done++) p.update({ side: 'source', done, total: 25 });
    for (let done = 1; done <= 3; done++) p.update({ side: 'target', done, total: 3 });
    p.done();
    const lines = out.text().trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('source'))).toEqual(['1/25', '3/25', '5/25', '8/25', '10/25', '13/25', '15/25', '18/25', '20/25', '23/25', '25/25'].map((n) => `  verifying source: ${n} tables`));
    expect(lines.filter((l) => l.includes('target'))).toEqual(['1/3', '2/3', '3/3'].map((n) => `  verifying target: ${n} tables`));
    expect(out.text()).not.toContain('\r');
  });

  it('redraws one line on a terminal and clears it at the end', () => {
    const out = capture();
    const p = verifyProgress(out.stream, true);
    p.update({ side: 'source', done: 1, total: 2 });
    p.update({ side: 'target', done: 1, total: 2 });
    p.update({ side: 'source', done: 2, total: 2 });
    p.done();
    expect(out.text()).toBe(['  verifying source 1/2 tables', '  verifying source 1/2, target 1/2 tables', '  verifying source 2/2, target 1/2 tables', ''].map((l) => `\r\x1b[K${l}`).join(''));
    expect(out.text()).not.toContain('\n');
  });
});
