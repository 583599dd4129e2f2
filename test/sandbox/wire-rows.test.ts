// Result rows encoded by the simulator's own writer are byte for byte what mysql2's server writes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/sandbox/store.js';
import { writeTextRowSlices, writeTextRows } from '../../src/sandbox/wire-rows.js';

const require = createRequire(import.meta.url);
// mysql2's own row encoder (not exported; loaded by path).
const TextRow = require(join(dirname(require.resolve('mysql2')), 'lib/packets/text_row.js')) as { toPacket(row: unknown[], encoding: string): { buffer: Buffer; writeHeader(seq: number): void } };

/** What mysql2's writeTextRow puts on the wire for these rows, starting at sequence id `seq`. */
function viaMysql2(rows: (Cell | undefined)[][], seq: number): Buffer {
  return Buffer.concat(
    rows.map((r, i) => {
      const p = TextRow.toPacket(r, 'utf8');
      p.writeHeader((seq + i) % 256);
      return p.buffer;
    }),
  );
}

function viaWriter(rows: (Cell | undefined)[][], seq: number): { bytes: Buffer; next: number; slow: number } {
  const chunks: Buffer[] = [];
  const sink = { sequenceId: seq, slow: 0, write: (b: Buffer) => chunks.push(Buffer.from(b)), writeRow: () => void sink.slow++ };
  writeTextRows(sink, rows);
  return { bytes: Buffer.concat(chunks), next: sink.sequenceId, slow: sink.slow };
}

describe('writeTextRows', () => {
  it('writes NULL, empty, undefined, non-ASCII and every length-prefix size as mysql2 does', () => {
    const rows: (Cell | undefined)[][] = [
      ['internal', 'db_1', null, '', undefined],
      ['日本語 ü €', 'x'.repeat(250), 'y'.repeat(251)],
      ['z'.repeat(70_000)],
      [],
      // Short cells copied byte by byte until a non-ASCII character; the one-byte prefix limit at 83/84 units.
      ['abcü', 'x'.repeat(83), '€'.repeat(83), '€'.repeat(84), 'a😀b', '\ud800', 'é'.repeat(125), 'é'.repeat(126), '\u007f\u0080'],
    ];
    const out = viaWriter(rows, 7);
    expect(out.bytes.equals(viaMysql2(rows, 7))).toBe(true);
    expect(out.next).toBe(12);
    expect(out.slow).toBe(0);
  });

  it('wraps sequence ids past 255 and spans several chunks', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`db_${i}`, 't'.repeat(i % 300), String(i)]);
    const out = viaWriter(rows, 250);
    expect(out.bytes.equals(viaMysql2(rows, 250))).toBe(true);
    expect(out.next).toBe((250 + 20_000) % 256);
  });
});

describe('writeTextRowSlices', () => {
  it('writes the same bytes as writeTextRows, pausing between slices and never after the last', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`db_${i}`, i % 7 ? null : 'ü'.repeat(i % 90), String(i)]);
    const chunks: Buffer[] = [];
    const sink = { sequenceId: 3, write: (b: Buffer) => chunks.push(Buffer.from(b)), writeRow: () => undefined };
    const pausedAfter: number[] = [];
    // A generator, as a streamed answer is: rows are made only as the writer asks for them.
    let made = 0;
    const lazily = function* (): Generator<(Cell | undefined)[]> {
      for (const r of rows) {
        made++;
        yield r;
      }
    };
    await writeTextRowSlices(sink, lazily(), () => {
      pausedAfter.push(made);
      return Promise.resolve();
    });
    expect(Buffer.concat(chunks).equals(viaMysql2(rows, 3))).toBe(true);
    expect(sink.sequenceId).toBe((3 + 20_000) % 256);
    // Rows were made a slice at a time, not all before the first pause.
    expect(pausedAfter.length).toBeGreaterThan(1);
    expect(pausedAfter[0]).toBeLessThan(rows.length);
    expect(pausedAfter.at(-1)).toBeLessThan(rows.length);
  });
});
