// The cluster pair of the simulator suite: the sandbox (a simulated Doris 2.1 source and 3.0
// target, s3rver as the repository), fresh for each scenario.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index.js';
import { sqlSides, type ClusterPair } from '../scenarios/pair.js';

/** Simulated seconds per real second: a job state every 150 ms, so a kill can land mid-job. */
const TIME_SCALE = 20;
/** Bytes per simulated second per backend: the demo catalog's 60 GiB table moves in ~1 s. */
const SPEED = 4e9;

/** Doris lines of the pair (default: the sandbox's 2.1 source and 3.0 target). */
export async function simulatorPair(versions: { source?: string; target?: string } = {}): Promise<ClusterPair> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dm-e2e-'));
  const sandbox = await startSandbox({ dataDir, azure: false, timeScale: TIME_SCALE, speedBytesPerSecond: SPEED, sourceVersion: versions.source, targetVersion: versions.target });
  const endpoint = (sim: typeof sandbox.source) => ({ host: sim.host, port: sim.port, user: sim.user, password: sim.password });
  const sides = sqlSides({ source: endpoint(sandbox.source), target: endpoint(sandbox.target) });
  return {
    kind: 'simulator',
    description: `simulated Doris ${sandbox.source.versionText} -> ${sandbox.target.versionText}`,
    source: endpoint(sandbox.source),
    target: endpoint(sandbox.target),
    repository: {
      base: `s3://${sandbox.s3.bucket}/e2e`,
      flags: ['--s3-provider', 'minio', '--s3-endpoint', sandbox.s3.endpoint],
      env: { AWS_ACCESS_KEY_ID: sandbox.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.s3.secretAccessKey },
    },
    replicationNum: 1,
    ...sides,
    seed: (sql) => sides.exec('source', sql),
    async close() {
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
