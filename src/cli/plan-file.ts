// Reading and writing plan files: YAML validated at the edge; written atomically (temp file,
// fsync, rename, fsync of the directory) so a crash never leaves half a plan.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
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

export const writePlanFile = (path: string, plan: Plan): void => writeFileAtomic(path, planToYaml(plan));
