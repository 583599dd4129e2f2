// `doris-migrate review` run through main() on a plan file in a temp directory: no cluster, no
// repository, and a missing or damaged plan is one line and exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readPlanFile, writePlanFile } from '../../src/cli/plan-file.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aTable, targetFacts } from '../support/catalog-builder.js';
import { captureIO } from '../support/io.js';

const GiB = 1024 ** 3;
const plan = buildPlan({
  name: 'small',
  now: '2026-11-24T08:00:00.000Z',
  source: { catalog: aCatalog().withDb('shop', { with: [aTable('orders', { dataBytes: 3 * GiB, rows: 1000 }), aTable('users', { dataBytes: GiB, rows: 50 })] }).build(), ref: { host: 'src.example', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
  target: { facts: targetFacts(), ref: { host: 'dst.example', port: 9030, user: 'admin', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
  repository: { name: 'mig', settings: settingsFromLocation('s3://bucket/mig', { s3Endpoint: 'http://minio:9000' }) },
  options: { labelPrefix: 'dm', concurrency: { source: 1, target: 1 }, batchBytes: 1024 * GiB, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
  selection: { renames: { shop: 'shop_v2' } },
});

async function review(args: string[], cwd: string) {
  const io = captureIO({ cwd });
  const code = await main(['review', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('review', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-review-'));
  writePlanFile(join(dir, 'plans', 'small.yaml'), plan);

  it('renders the plan as text, exactly', async () => {
    const r = await review(['plans/small.yaml'], dir);
    expect(r.code).toBe(0);
    const label = (plan.steps.find((s) => s.kind === 'backup') as { label: string }).label;
    expect(label).toMatch(/^dm_shop_[0-9a-f]{6}_b1$/);
    expect(r.out).toBe(`Plan small (${plan.fingerprint.slice(0, 19)}), made 2026-11-24T08:00:00.000Z
  source  root@src.example:9030  Doris 2.1.7
  target  admin@dst.example:9030  Doris 3.0.3
  repository mig at s3://bucket/mig

1 database, 2 tables, 2 partitions, 4.0 GiB, 1050 rows
2 BACKUP/RESTORE jobs, 0 follow-ups; estimated 1 min at 200.0 MiB/s per job, 1 job at a time per cluster
Job order: by the ranking formula (a job's remaining chain or its database's remaining serial work), 1 transfer worker per backend

Databases:
  shop -> shop_v2: 2 tables, 4.0 GiB

Steps:
  preflight  check both clusters and the repository
  repo:source  create repository mig on the source  (after preflight)
  repo:target  create repository mig (read only) on the target  (after preflight)
  db:shop_v2  create database shop_v2 on the target  (after preflight)
  backup:shop:1  back up shop batch 1/1 (2 objects)  (after repo:source)
  restore:shop_v2:1  restore shop_v2 batch 1/1  (after backup:shop:1, db:shop_v2, repo:target)
  verify  compare source and target  (after restore:shop_v2:1)

Restored under another name:
  database shop -> shop_v2

Left out:
  system databases (information_schema, mysql, __internal_schema) [system-database]: created by Doris itself. nothing to do: the target has its own
`);
    expect(r.err).toBe('');
  });

  it('prints the runbook, Markdown and the JSON model', async () => {
    const sqlOut = await review(['plans/small.yaml', '--format', 'sql'], dir);
    expect(sqlOut.code).toBe(0);
    const order = ['CREATE REPOSITORY `mig`', 'CREATE READ ONLY REPOSITORY `mig`', 'CREATE DATABASE IF NOT EXISTS `shop_v2`', 'BACKUP SNAPSHOT `shop`.', 'SHOW SNAPSHOT ON `mig`', 'RESTORE SNAPSHOT `shop_v2`.'];
    const at = order.map((s) => sqlOut.out.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(sqlOut.out).toContain('"s3.secret_key" = "${AWS_SECRET_ACCESS_KEY}"');
    const md = await review(['plans/small.yaml', '--format', 'markdown'], dir);
    expect(md.out).toContain('| `shop` | `shop_v2` | 2 | 2 | 4.0 GiB |');
    const json = await review(['plans/small.yaml', '--format', 'json'], dir);
    expect(JSON.parse(json.out)).toEqual(plan);
  });

  it('refuses a missing plan, a damaged plan and an unknown format with one line and exit 2', async () => {
    const missing = await review(['plans/nope.yaml'], dir);
    expect([missing.code, missing.out]).toEqual([2, '']);
    expect(missing.err).toMatch(/^doris-migrate: cannot read plan .*nope\.yaml: give the path of a plan written by `doris-migrate plan`\n$/);

    const text = readFileSync(join(dir, 'plans', 'small.yaml'), 'utf8');
    writeFileSync(join(dir, 'bad.yaml'), text.replace(/port: 9030/, 'port: 0').replace('labelPrefix: dm', 'labelPrefix: "d m"'));
    const bad = await review(['bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/bad\.yaml does not match the plan format: source\.port: .*; options\.labelPrefix: /);

    const format = await review(['plans/small.yaml', '--format', 'html'], dir);
    expect(format.code).toBe(2);
    expect(format.err).toContain("--format must be one of text, markdown, sql, json, got 'html'");
  });

  it('reads back exactly what it wrote', () => {
    expect(readPlanFile(join(dir, 'plans', 'small.yaml'))).toEqual(plan);
  });
});
