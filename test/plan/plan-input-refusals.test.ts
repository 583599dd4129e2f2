// Plan files and plans the tool must refuse or render safely: keys the format does not know,
// credentials in an endpoint, sizes past 2^53, and names that could smuggle a line into the SQL
// runbook.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readPlanFile, writePlanFile } from '../../src/cli/plan-file.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { renderSql, renderText } from '../../src/plan/render.js';
import type { Catalog } from '../../src/catalog/model.js';
import { stepStatements } from '../../src/plan/statements.js';
import { settingsFromLocation } from '../../src/storage/location.js';
import { aCatalog, aTable, targetFacts } from '../support/catalog-builder.js';
import { captureIO } from '../support/io.js';

const planOf = (catalog: Catalog, batchBytes = 1024 ** 4) =>
  buildPlan({
    name: 'edge',
    now: '2026-12-04T08:00:00.000Z',
    source: { catalog, ref: { host: 'src.example', port: 9030, user: 'root', passwordEnv: 'DORIS_SOURCE_PASSWORD', tls: false } },
    target: { facts: targetFacts(), ref: { host: 'dst.example', port: 9030, user: 'root', passwordEnv: 'DORIS_TARGET_PASSWORD', tls: false } },
    repository: { name: 'mig', settings: settingsFromLocation('s3://bucket/mig', { s3Endpoint: 'http://minio:9000' }) },
    options: { labelPrefix: 'dm', concurrency: { source: 1, target: 1 }, batchBytes, jobTimeoutSeconds: 86400, replication: { num: 1 }, conflicts: 'refuse', maxAttempts: 3 },
    selection: { renames: {} },
  });

async function review(dir: string, file: string, format = 'text') {
  const io = captureIO({ cwd: dir });
  const code = await main(['review', file, '--format', format], io);
  return { code, out: io.out(), err: io.err() };
}

/** Statements as a SQL client splits a script: `;` outside quotes, backticks and `--` comments. */
function statementsOf(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"') current += script[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '-' && script[i + 1] === '-') {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === ';') {
      out.push(current.trim());
      current = '';
    } else {
      if (c === '`' || c === '"') quote = c;
      current += c;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

describe('plan input the tool refuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-refuse-'));
  const plan = planOf(aCatalog().withDb('shop', { with: [aTable('orders')] }).build());
  writePlanFile(join(dir, 'plans', 'edge.yaml'), plan);
  const text = readFileSync(join(dir, 'plans', 'edge.yaml'), 'utf8');

  it('refuses a key the format does not know, naming it, instead of dropping it as "not edited"', async () => {
    const restore = /^( {2}- id: restore:shop:1\n)/m;
    expect(text).toMatch(restore);
    writeFileSync(join(dir, 'added.yaml'), text.replace(restore, '$1    dropTargetFirst: true\n'));
    const r = await review(dir, 'added.yaml');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/^doris-migrate: added\.yaml does not match the plan format: steps\.\d+: Unrecognized key: "dropTargetFirst"$/);
    writeFileSync(join(dir, 'top.yaml'), `${text}dropTargetFirst: true\n`);
    expect((await review(dir, 'top.yaml')).err).toContain('(root): Unrecognized key: "dropTargetFirst"');
  });

  it('refuses an endpoint carrying credentials without echoing them', async () => {
    writeFileSync(join(dir, 'creds.yaml'), text.replace('endpoint: http://minio:9000', 'endpoint: http://AKIA1:SECRET9@minio:9000'));
    const r = await review(dir, 'creds.yaml', 'sql');
    expect(r.code).toBe(2);
    expect(r.err).toContain('repository.settings.endpoint: must not carry credentials');
    expect(r.err + r.out).not.toContain('SECRET9');
  });

  it('keeps sizes past 2^53 bytes (8 PiB) instead of crashing', async () => {
    const huge = planOf(aCatalog().withDb('big', { with: [aTable('t', { dataBytes: 2 ** 60 + 2 ** 59, rows: 2 ** 55 })] }).build(), 2 ** 70);
    writePlanFile(join(dir, 'plans', 'huge.yaml'), huge);
    expect(readPlanFile(join(dir, 'plans', 'huge.yaml'))).toEqual(huge);
    const r = await review(dir, 'plans/huge.yaml');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('big: 1 table, 1536.0 PiB');
  });
});

describe('names from the source in the runbook', () => {
  const evilDb = 'shop\nDROP DATABASE prod;\n-- ';
  const evilTable = 'orders`\n;DROP TABLE x; --';
  const plan = planOf(aCatalog().withDb(evilDb, { with: [aTable(evilTable)] }).build());

  it('cannot put an executable line into review --format sql', () => {
    const script = renderSql(plan);
    const statements = statementsOf(script);
    const expected = plan.steps.flatMap((s) => stepStatements(plan, s));
    expect(statements).toEqual(expected);
    expect(statements.filter((s) => /^DROP/i.test(s))).toEqual([]);
    for (const line of script.split('\n')) if (line.startsWith('--')) expect(line).not.toMatch(/[\r\u2028\u2029]/);
    expect(script).toContain('-- backup:shop\\nDROP DATABASE prod;\\n-- :1: back up');
  });

  it('keeps every line of the text review one line', () => {
    const lines = renderText(plan).split('\n');
    expect(lines.filter((l) => l.startsWith('DROP') || l.startsWith(';DROP'))).toEqual([]);
    expect(renderText(plan)).toContain('shop\\nDROP DATABASE prod;\\n-- : 1 table,');
  });
});
