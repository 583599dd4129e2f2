// Text-protocol result rows encoded straight into large buffers: the same bytes mysql2's
// writeTextRow sends (length-coded UTF-8 strings, 0xFB for NULL), without a Buffer, a Packet
// and an iconv call per row, which made answering a million-row information_schema query the
// simulator's slowest path.
import type { Cell } from './store.js';

/** Chunks start small (most answers are a few rows) and grow to a MiB for big ones. */
const FIRST_CHUNK = 16 << 10;
const CHUNK = 1 << 20;
/** A payload this long needs the multi-packet framing; such rows go through mysql2 instead. */
export const MAX_PAYLOAD = 0xffffff - 1;

export interface RowSink {
  /** Sequence id of the next packet; advanced for every row written here. */
  sequenceId: number;
  write(chunk: Buffer): void;
  /** Writes one row the slow way (rows too big for one packet). */
  writeRow(row: readonly (Cell | undefined)[]): void;
}

function lengthPrefixSize(n: number): number {
  return n < 251 ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9;
}

function writeLength(buf: Buffer, at: number, n: number): number {
  if (n < 251) {
    buf[at] = n;
    return at + 1;
  }
  if (n < 0x10000) {
    buf[at] = 0xfc;
    buf.writeUInt16LE(n, at + 1);
    return at + 3;
  }
  if (n < 0x1000000) {
    buf[at] = 0xfd;
    buf.writeUIntLE(n, at + 1, 3);
    return at + 4;
  }
  buf[at] = 0xfe;
  buf.writeUInt32LE(n % 0x100000000, at + 1);
  buf.writeUInt32LE(Math.floor(n / 0x100000000), at + 5);
  return at + 9;
}

/** A cell shorter than this has a one-byte length prefix however it encodes (3 bytes per UTF-16 unit at most, < 251). */
const SHORT = 84;

/**
 * Writes `cell` (at most `SHORT` - 1 UTF-16 units) with its one-byte length prefix at `at`;
 * returns the offset after it. ASCII, the usual case, is copied here: a native write per cell
 * costs more than the copy for names and numbers.
 */
function writeShort(buf: Buffer, at: number, cell: string): number {
  const from = at + 1;
  for (let k = 0; k < cell.length; k++) {
    const ch = cell.charCodeAt(k);
    if (ch >= 0x80) {
      const n = buf.write(cell, from, 'utf8');
      buf[at] = n;
      return from + n;
    }
    buf[from + k] = ch;
  }
  buf[at] = cell.length;
  return from + cell.length;
}

/** Writes every row as one packet each, in chunks of up to about a MiB. */
export function writeTextRows(sink: RowSink, rows: Iterable<readonly (Cell | undefined)[]>): void {
  let buf = Buffer.allocUnsafe(FIRST_CHUNK);
  let at = 0;
  const flush = (last = false): void => {
    if (at > 0) sink.write(buf.subarray(0, at));
    if (!last) buf = Buffer.allocUnsafe(Math.min(CHUNK, buf.length * 4));
    at = 0;
  };
  const room = (bytes: number): void => {
    if (at + bytes > buf.length) {
      flush();
      if (bytes > buf.length) buf = Buffer.allocUnsafe(bytes);
    }
  };
  const lengths: number[] = [];
  for (const row of rows) {
    // Most rows: room for the most the cells can take, written in one pass, the header filled in after.
    let bound = 0;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      bound += cell === null || cell === undefined ? 1 : 9 + 3 * cell.length;
    }
    if (bound <= MAX_PAYLOAD) {
      room(4 + bound);
      const head = at;
      at += 4;
      for (let i = 0; i < row.length; i++) {
        const cell = row[i];
        if (cell === null) buf[at++] = 0xfb;
        else if (cell === undefined) buf[at++] = 0;
        else if (cell.length < SHORT) at = writeShort(buf, at, cell);
        else {
          at = writeLength(buf, at, Buffer.byteLength(cell, 'utf8'));
          at += buf.write(cell, at, 'utf8');
        }
      }
      buf.writeUIntLE(at - head - 4, head, 3);
      buf[head + 3] = sink.sequenceId;
      sink.sequenceId = (sink.sequenceId + 1) % 256;
      continue;
    }
    // Rows with cells of megabytes: their exact size decides between one packet and mysql2's framing.
    let payload = 0;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (cell === null || cell === undefined) payload += 1;
      else {
        const n = Buffer.byteLength(cell, 'utf8');
        lengths[i] = n;
        payload += lengthPrefixSize(n) + n;
      }
    }
    if (payload > MAX_PAYLOAD) {
      flush();
      sink.writeRow(row);
      continue;
    }
    room(4 + payload);
    buf.writeUIntLE(payload, at, 3);
    buf[at + 3] = sink.sequenceId;
    sink.sequenceId = (sink.sequenceId + 1) % 256;
    at += 4;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (cell === null) buf[at++] = 0xfb;
      else if (cell === undefined) buf[at++] = 0;
      else {
        at = writeLength(buf, at, lengths[i]!);
        at += buf.write(cell, at, 'utf8');
      }
    }
  }
  flush(true);
}

/** Rows per slice of a streamed answer (a few hundred KB of packets). */
const SLICE_ROWS = 8192;

/** Writes the rows as writeTextRows does, a slice at a time, awaiting `between` after each slice. */
export async function writeTextRowSlices(sink: RowSink, rows: Iterable<readonly (Cell | undefined)[]>, between: () => Promise<void>): Promise<void> {
  const it = rows[Symbol.iterator]();
  let more = true;
  const slice = function* (): Generator<readonly (Cell | undefined)[]> {
    for (let n = 0; n < SLICE_ROWS; n++) {
      const next = it.next();
      if (next.done) {
        more = false;
        return;
      }
      yield next.value;
    }
  };
  while (more) {
    writeTextRows(sink, slice());
    if (more) await between();
  }
}
