// Child process holding a source and a target simulator on their data directories, so a test can
// SIGKILL them as an FE process dies and start them again on the same directories and ports (as
// a restarted FE keeps its query_port). Being restartable, their first ports lie outside the
// ephemeral range, and a restart waits a while for a port something else holds (sandbox/ports.ts).
// The object store stays with the test: a real repository does not die with the FE.
// Argument: JSON of FePairRequest. Prints one JSON line (FePairReady) once both listen.
import { join } from 'node:path';
import { startSimulator } from '../../src/sandbox/index.js';

export interface FePairRequest {
  dir: string;
  /** Run on the source when its world is new. */
  seedSql?: string;
  timeScale: number;
  /** The ports of the first start; 0 or absent the first time. */
  ports?: { source: number; target: number };
  sourceVersion?: string;
  targetVersion?: string;
}

export interface FePairReady {
  source: number;
  target: number;
  /** Jobs the start put back to their last logged state (sandbox/jobs/recover.ts). */
  recovered: number;
}

const req = JSON.parse(process.argv[2]!) as FePairRequest;
const source = await startSimulator({ version: req.sourceVersion ?? '2.1', dataDir: join(req.dir, 'source'), port: req.ports?.source ?? 0, restartable: true, timeScale: req.timeScale, ...(req.seedSql ? { seedSql: req.seedSql } : {}) });
const target = await startSimulator({ version: req.targetVersion ?? '3.0', dataDir: join(req.dir, 'target'), port: req.ports?.target ?? 0, restartable: true, timeScale: req.timeScale });
process.stdout.write(`${JSON.stringify({ source: source.port, target: target.port, recovered: source.jobs.recovered + target.jobs.recovered } satisfies FePairReady)}\n`);
// A clean stop writes both worlds; the test uses it at the end to read them back.
process.once('SIGTERM', () => void Promise.all([source.stop(), target.stop()]).then(() => process.exit(0)));
