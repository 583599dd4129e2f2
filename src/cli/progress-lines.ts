// Plain progress lines on stderr (the catalog read); the live renderer of `apply` lives elsewhere.
import type { ReadEvent } from '../catalog/reader.js';
import type { CliIO } from './io.js';

export function readProgress(io: CliIO, cluster: string): (e: ReadEvent) => void {
  let lastPercent = -1;
  return (e) => {
    if (e.kind === 'phase') io.stderr.write(`  reading ${cluster}: ${e.phase}\n`);
    else {
      const percent = Math.floor((100 * e.done) / Math.max(1, e.total));
      if (percent >= lastPercent + 10 || e.done === e.total) {
        lastPercent = percent;
        io.stderr.write(`  reading ${cluster}: ${e.phase} ${e.done}/${e.total}\n`);
      }
    }
  };
}
