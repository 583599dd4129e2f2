// The write side of the file system as doris-migrate uses it (state, journal, lock, trail, reports).
// Product code imports these instead of node:fs's own. The bindings are live, so a layer set here
// reaches every importer: the one place where a test puts a full or read-only disk under a
// directory when the machine does not let it mount a small one (no root). Reads stay on node:fs.
import * as fs from 'node:fs';

export interface FileLayer {
  openSync: typeof fs.openSync;
  closeSync: typeof fs.closeSync;
  writeSync: typeof fs.writeSync;
  writeFileSync: typeof fs.writeFileSync;
  appendFileSync: typeof fs.appendFileSync;
  fsyncSync: typeof fs.fsyncSync;
  fdatasyncSync: typeof fs.fdatasyncSync;
  ftruncateSync: typeof fs.ftruncateSync;
  renameSync: typeof fs.renameSync;
  linkSync: typeof fs.linkSync;
  unlinkSync: typeof fs.unlinkSync;
  mkdirSync: typeof fs.mkdirSync;
}

/** Node's own functions. */
export const realFileLayer: Readonly<FileLayer> = Object.freeze({
  openSync: fs.openSync,
  closeSync: fs.closeSync,
  writeSync: fs.writeSync,
  writeFileSync: fs.writeFileSync,
  appendFileSync: fs.appendFileSync,
  fsyncSync: fs.fsyncSync,
  fdatasyncSync: fs.fdatasyncSync,
  ftruncateSync: fs.ftruncateSync,
  renameSync: fs.renameSync,
  linkSync: fs.linkSync,
  unlinkSync: fs.unlinkSync,
  mkdirSync: fs.mkdirSync,
});

// Live bindings are the seam: setFileLayer reassigns them.
export let openSync = realFileLayer.openSync;
export let closeSync = realFileLayer.closeSync;
export let writeSync = realFileLayer.writeSync;
export let writeFileSync = realFileLayer.writeFileSync;
export let appendFileSync = realFileLayer.appendFileSync;
export let fsyncSync = realFileLayer.fsyncSync;
export let fdatasyncSync = realFileLayer.fdatasyncSync;
export let ftruncateSync = realFileLayer.ftruncateSync;
export let renameSync = realFileLayer.renameSync;
export let linkSync = realFileLayer.linkSync;
export let unlinkSync = realFileLayer.unlinkSync;
export let mkdirSync = realFileLayer.mkdirSync;

/** Puts `layer` in place of the real functions (tests only); `setFileLayer(realFileLayer)` undoes it. */
export function setFileLayer(layer: FileLayer): void {
  ({ openSync, closeSync, writeSync, writeFileSync, appendFileSync, fsyncSync, fdatasyncSync, ftruncateSync, renameSync, linkSync, unlinkSync, mkdirSync } = layer);
}
