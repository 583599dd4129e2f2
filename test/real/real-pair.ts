// The cluster pair of the real-Doris suite: the two clusters, MinIO and the bucket of
// docker-compose.test.yml (or whatever DORIS_REAL_* names), shared by every scenario.
import { parseClusterUrl } from '../../src/cli/flags.js';
import { sqlSides, type ClusterPair } from '../scenarios/pair.js';
import { ensureBucket } from './bucket.js';
import type { RealDorisEnv } from './env.js';
import { forRealDoris } from './portable-sql.js';

export async function realPair(e: RealDorisEnv): Promise<ClusterPair> {
  const endpoint = (url: string, flag: string, password: string) => {
    const u = parseClusterUrl(url, flag);
    return { host: u.host, port: u.port, user: u.user, password };
  };
  const source = endpoint(e.source, 'DORIS_REAL_SOURCE', e.sourcePassword);
  const target = endpoint(e.target, 'DORIS_REAL_TARGET', e.targetPassword);
  const sides = sqlSides({ source, target });
  const versions = await Promise.all([sides.query('source', 'SELECT VERSION() AS v'), sides.query('target', 'SELECT VERSION() AS v')]).catch((err: unknown) => {
    throw new Error(`real Doris is not reachable at ${e.source} / ${e.target} (${String(err)}): is docker-compose.test.yml up and healthy?`);
  });
  for (const side of ['source', 'target'] as const) {
    const alive = (await sides.query(side, 'SHOW BACKENDS')).filter((b) => String(b.Alive) === 'true');
    if (!alive.length) throw new Error(`the ${side} cluster has no alive backend yet: wait for its BE to report healthy`);
  }
  await ensureBucket(e);
  return {
    kind: 'real',
    description: `real Doris ${String(versions[0][0]?.v)} -> ${String(versions[1][0]?.v)}`,
    source,
    target,
    repository: {
      base: `s3://${e.bucket}/e2e`,
      flags: ['--s3-provider', 'minio', '--s3-endpoint', e.s3Endpoint],
      env: { AWS_ACCESS_KEY_ID: e.accessKey, AWS_SECRET_ACCESS_KEY: e.secretKey },
    },
    replicationNum: 1,
    ...sides,
    seed: (sql) => sides.exec('source', forRealDoris(sql)),
    close: () => Promise.resolve(),
  };
}
