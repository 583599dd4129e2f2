// Reading and writing plan files: YAML validated at the edge; written atomically (temp file,
// fsync, rename, fsync of the directory) so a crash never leaves half a plan.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { usageError } from '../errors.js';
import type { Plan } from '../plan/schema.js';
import { planFromYaml, planToYaml } from '../plan/yaml.js';

export function readPlanFile(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw usageError('plan-missing', `cannot read plan ${path}: give the path of a plan written by \`doris-migrate plan\``);
  }
  return planFromYaml(text, basename(path));
}

/** Writes `text` to `path` so that readers see the old file or the new one, never a mix. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export const writePlanFile = (path: string, plan: Plan): void => writeFileAtomic(path, planToYaml(plan));
