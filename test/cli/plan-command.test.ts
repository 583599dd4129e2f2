// `plan` and `review` as a user runs them, against a sandbox (two simulators and s3rver).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { captureIO } from '../support/io.js';
import { DEMO_SQL } from '../support/simulator.js';

const SECRET = 'S3RVER-secret-value-7f3a';
let dir: string;
let sb: Sandbox;
const env = () => ({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: SECRET, DORIS_SOURCE_PASSWORD: 'src-pw-91', DORIS_TARGET_PASSWORD: 'dst-pw-92' });
const args = (extra: string[] = []) => [
  'plan', '--source', `mysql://root@127.0.0.1:${sb.source.port}`, '--target', `mysql://root@127.0.0.1:${sb.target.port}`,
  '--repository', 's3://doris-migrate/plans', '--s3-endpoint', sb.s3.endpoint, '--replication-num', '1', '--no-interactive', ...extra,
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dm-plan-'));
  sb = await startSandbox({ dataDir: join(dir, 'sandbox'), seedSql: DEMO_SQL, azure: false, rootPassword: '' });
});
afterAll(async () => {
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The sandbox root has no password; the env values above prove passwords never reach files.
const run = async (argv: string[], extraEnv: Record<string, string> = {}) => {
  const io = captureIO({ cwd: dir, env: { ...env(), DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '', ...extraEnv } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
};

describe('doris-migrate plan (flags only)', () => {
  it('writes a plan with exclusions and follow-ups, and review renders it without connecting', async () => {
    const r = await run(args(['--name', 'demo']));
    expect(r.err).not.toContain('bug');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote ${join(dir, 'plans', 'demo.yaml')}`);
    const yaml = readFileSync(join(dir, 'plans', 'demo.yaml'), 'utf8');
    expect(yaml).toMatch(/^# doris-migrate plan/);
    expect(yaml).toContain('kind: temp-partition');
    expect(yaml).toContain('object: ops.staging');
    expect(yaml).toContain('id: colocate:sales:orders');
    expect(yaml).toContain('id: mtmv:analytics:daily_revenue');
    for (const format of ['text', 'markdown', 'sql', 'json']) {
      const review = await run(['review', 'plans/demo.yaml', '--format', format]);
      expect(review.code, format).toBe(0);
    }
    const sqlReview = await run(['review', 'plans/demo.yaml', '--format', 'sql']);
    expect(sqlReview.out).toContain('"s3.secret_key" = "${AWS_SECRET_ACCESS_KEY}", "s3.session_token" = "${AWS_SESSION_TOKEN}"');
  });

  it('never writes or prints a secret', async () => {
    const r = await run(args(['--name', 'secrets']), { DORIS_SOURCE_PASSWORD: '', DORIS_TARGET_PASSWORD: '' });
    const review = await run(['review', 'plans/secrets.yaml', '--format', 'sql']);
    const files = readdirSync(join(dir, 'plans')).map((f) => readFileSync(join(dir, 'plans', f), 'utf8'));
    for (const text of [r.out, r.err, review.out, review.err, ...files]) expect(text).not.toContain(SECRET);
  });

  it('names a missing flag with exit 2 and writes nothing', async () => {
    const before = readdirSync(join(dir, 'plans')).length;
    const r = await run(args().filter((a, i, all) => a !== '--replication-num' && all[i - 1] !== '--replication-num').concat(['--name', 'x1']));
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('doris-migrate: missing --replication-num (replicas per tablet on the target; or --replication-allocation, --reserve-replica): pass it, or run in a terminal to be asked');
    expect(readdirSync(join(dir, 'plans')).length).toBe(before);
    const bad = await run(['plan', '--source', 'mysql://root:pw@h:1', '--no-interactive']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toContain('must not carry a password');
  });

  it('refuses a repository name Doris would refuse, in one line, before reaching a cluster', async () => {
    const before = readdirSync(join(dir, 'plans')).length;
    const r = await run(args(['--name', 'dotted', '--repository-name', 'my.repo']));
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("doris-migrate: --repository-name 'my.repo' must start with a letter and use up to 64 letters, digits, '_' or '-' (Doris's rule for repository names)");
    expect(readdirSync(join(dir, 'plans')).length).toBe(before);
  });

  it('refuses credentials in any repository URL before connecting, without echoing them', async () => {
    const cases: [string, string][] = [
      ['--s3-endpoint', 'http://KEY1:SECRET1@127.0.0.1:9'],
      ['--repository', 's3://KEY1:SECRET1@doris-migrate/plans'],
      ['--azure-endpoint', 'http://acct:SECRET1@127.0.0.1:10000/acct'],
      ['--webhdfs', 'http://hdfs:SECRET1@nn:9870'],
    ];
    for (const [flag, url] of cases) {
      const argv = args(['--name', 'leak']).map((a, i, all) => (all[i - 1] === flag ? url : a));
      if (!argv.includes(flag)) argv.push(flag, url);
      const r = await run(argv);
      expect([flag, r.code]).toEqual([flag, 2]);
      expect(r.err.trim()).toMatch(new RegExp(`^doris-migrate: ${flag} must not carry credentials .*: remove them from the URL and set .* instead$`));
      expect(r.err + r.out).not.toContain('SECRET1');
      expect(r.err).not.toContain('Reading the source catalog');
    }
    expect(readdirSync(join(dir, 'plans')).some((f) => f.startsWith('leak'))).toBe(false);
  });

  it('refuses an FE it cannot reach with exit 4, naming host, port and what to check', async () => {
    const r = await run(args(['--name', 'x6']).map((a) => (a === `mysql://root@127.0.0.1:${sb.source.port}` ? 'mysql://root@127.0.0.1:9' : a)));
    expect(r.code, r.err).toBe(4);
    expect(r.err.trim().split('\n').at(-1)).toBe(
      "doris-migrate: cannot reach the FE at 127.0.0.1:9 to run SELECT @@VERSION_COMMENT (ECONNREFUSED, 1 attempt): nothing accepts connections at 127.0.0.1:9: check the host, that 9 is the FE's query port (query_port in fe.conf, 9030 by default), and that the FE is running",
    );
  });

  it('refuses with exit 4: unreachable repository, missing credentials, conflicts', async () => {
    const down = await run(args(['--name', 'x2']).map((a) => (a === sb.s3.endpoint ? 'http://127.0.0.1:9' : a)));
    expect(down.code).toBe(4);
    expect(down.err.trim().split('\n').at(-1)).toBe('doris-migrate: repository s3://doris-migrate/plans: cannot connect to http://127.0.0.1:9 (ECONNREFUSED): check --s3-endpoint and that the server is up');
    const noKeys = await run(args(['--name', 'x3']), { AWS_SECRET_ACCESS_KEY: '' });
    expect(noKeys.code).toBe(4);
    expect(noKeys.err).toContain('needs the secret key in the environment variable AWS_SECRET_ACCESS_KEY');
    await sb.target.execute('CREATE DATABASE IF NOT EXISTS sales; CREATE TABLE IF NOT EXISTS sales.customers (id BIGINT NOT NULL) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")');
    const conflict = await run(args(['--name', 'x4']));
    expect(conflict.code).toBe(4);
    expect(conflict.err).toContain('1 table(s) already exist on the target: sales.customers (columns differ');
    const skipped = await run(args(['--name', 'x5', '--on-conflict', 'skip']));
    expect(skipped.code).toBe(0);
    expect(readFileSync(join(dir, 'plans', 'x5.yaml'), 'utf8')).toContain('object: sales.customers\n    kind: conflict');
    // An earlier migration's alias is on the target too: the new alias must be free.
    await sb.target.execute('CREATE TABLE sales.customers_migrated (id BIGINT NOT NULL) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")');
    const aliased = await run(args(['--name', 'x7', '--on-conflict', 'alias']));
    expect(aliased.code, aliased.err).toBe(0);
    const aliasYaml = readFileSync(join(dir, 'plans', 'x7.yaml'), 'utf8');
    expect(aliasYaml).toContain('- name: customers\n        alias: customers_migrated2');
    await sb.target.execute('DROP DATABASE sales');
  });

  it('review refuses a missing or damaged plan with exit 2', async () => {
    expect((await run(['review', 'plans/nope.yaml'])).code).toBe(2);
    const path = join(dir, 'plans', 'demo.yaml');
    expect(statSync(path).size).toBeGreaterThan(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'plans', 'broken.yaml'), readFileSync(path, 'utf8').replace('version: 1', 'version: [1'));
    const r = await run(['review', 'plans/broken.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('broken.yaml is not valid YAML');
  });
});
