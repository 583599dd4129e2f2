// `plan` refuses what it can know early as soon as it knows it: a repository name already taken
// at another location, a version pair Doris cannot restore across, more replicas than the
// target's alive backends. None of them waits for the catalog read or the repository probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { clientFor } from '../support/client.js';
import { captureIO } from '../support/io.js';
import { DEMO_SQL } from '../support/simulator.js';

let dir: string;
let sb: Sandbox;
const env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dm-early-'));
  sb = await startSandbox({ dataDir: join(dir, 'sandbox'), seedSql: DEMO_SQL, azure: false, rootPassword: '' });
});
afterAll(async () => {
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

const plan = async (s: Sandbox, extra: string[]) => {
  const io = captureIO({ cwd: dir, env });
  const code = await main(
    ['plan', '--source', `mysql://root@127.0.0.1:${s.source.port}`, '--target', `mysql://root@127.0.0.1:${s.target.port}`, '--repository', `s3://${s.s3.bucket}/early`, '--s3-endpoint', s.s3.endpoint, '--no-interactive', ...extra],
    io,
  );
  return { code, err: io.err() };
};

describe('plan refuses early', () => {
  it('more replicas than the target has alive backends: exit 4 before the catalog is read', async () => {
    const r = await plan(sb, ['--replication-num', '5', '--name', 'too-many']);
    expect(r.code).toBe(4);
    expect(r.err).toContain('the target has 3 alive backends but the plan asks for 5 replicas');
    expect(r.err).not.toContain('Reading the source catalog');
  });

  it('a repository name registered at another location on the target: exit 4 naming both locations, before the catalog is read', async () => {
    const target = clientFor(sb.target);
    try {
      await target.query(`CREATE READ ONLY REPOSITORY other_repo WITH S3 ON LOCATION "s3://${sb.s3.bucket}/elsewhere" PROPERTIES ("s3.endpoint" = "${sb.s3.endpoint}", "s3.region" = "us-east-1", "s3.access_key" = "S3RVER", "s3.secret_key" = "S3RVER", "use_path_style" = "true")`);
    } finally {
      await target.close();
    }
    const r = await plan(sb, ['--repository-name', 'other_repo', '--replication-num', '1', '--name', 'taken']);
    expect(r.code).toBe(4);
    expect(r.err).toContain(`repository other_repo is already registered on the target at s3://${sb.s3.bucket}/elsewhere, not at s3://${sb.s3.bucket}/early`);
    expect(r.err).toContain('--repository-name');
    expect(r.err).not.toContain('Reading the source catalog');
  });

  it('a version pair Doris cannot restore across: exit 4 right after connecting, before the repository is probed', async () => {
    const pair = await startSandbox({ dataDir: join(dir, 'downgrade'), sourceVersion: '3.0', targetVersion: '2.1', seedSql: DEMO_SQL, azure: false, rootPassword: '' });
    try {
      const r = await plan(pair, ['--replication-num', '1', '--name', 'downgrade']);
      expect(r.code).toBe(4);
      expect(r.err).toContain('downgrades are not supported');
      expect(r.err).not.toContain('Checking the repository');
      expect(r.err).not.toContain('Reading the source catalog');
    } finally {
      await pair.stop();
    }
  });
});
