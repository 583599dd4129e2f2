// The demo catalog, made acceptable to real Doris, still creates the same objects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/sandbox/sql/lexer.js';
import { forRealDoris } from './portable-sql.js';

const demo = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'catalogs', 'demo.sql'), 'utf8');

describe('forRealDoris', () => {
  const real = forRealDoris(demo);
  it('drops simulator-only properties and nothing else from CREATE TABLE', () => {
    expect(demo).toContain('"sim.data_bytes"');
    expect(real).not.toContain('sim.');
    expect(real).toContain('"colocate_with" = "order_group")');
    expect(splitStatements(real).filter((s) => /^CREATE TABLE/i.test(s))).toHaveLength(splitStatements(demo).filter((s) => /^CREATE TABLE/i.test(s)).length);
  });

  it('makes global objects idempotent and skips the S3 check of a policy resource', () => {
    expect(real).toMatch(/CREATE RESOURCE IF NOT EXISTS "cold_s3" PROPERTIES \("s3_validity_check" = "false", \s*"type" = "s3"/);
    expect(real).toContain('CREATE STORAGE POLICY IF NOT EXISTS cool_after_30d');
    expect(real).toContain('CREATE CATALOG IF NOT EXISTS hive_prod');
    expect(forRealDoris(real)).toBe(real);
  });

  it('leaves out legacy MySQL external tables', () => {
    expect(real).not.toMatch(/ENGINE\s*=\s*mysql/i);
  });
});
