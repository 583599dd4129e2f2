// Which target sessions need enable_unicode_name_support: only a plan that creates a database or
// an MV whose name the target's default rules refuse.
import { describe, expect, it } from 'vitest';
import { planVersion } from '../../src/doris/capabilities.js';
import { databaseNameNeed as dbNeed, tableNameNeed as tableNeed } from '../../src/doris/name-rules.js';
import { targetSessionVariables } from '../../src/plan/target-session.js';
import type { Plan } from '../../src/plan/schema.js';

const databaseNameNeed = (version: string, name: string) => dbNeed(planVersion(version), name);
const tableNameNeed = (version: string, name: string) => tableNeed(planVersion(version), name);

// Only what targetSessionVariables reads: the target's version and the steps.
const plan = (version: string, steps: Partial<Plan['steps'][number]>[]): Plan => ({ target: { version }, steps }) as unknown as Plan;

describe('targetSessionVariables', () => {
  it('asks for Unicode names when a created database or MV needs them', () => {
    expect(targetSessionVariables(plan('3.0.3', [{ kind: 'create-database', database: 'crm-eu' }, { kind: 'mtmv', database: 'crm-eu', object: 'umsatz' }]))).toEqual({});
    expect(targetSessionVariables(plan('3.0.3', [{ kind: 'create-database', database: 'Verkäufe' }]))).toEqual({ enable_unicode_name_support: 'true' });
    expect(targetSessionVariables(plan('2.1.7', [{ kind: 'mtmv', database: 'sales', object: 'Übersicht' }]))).toEqual({ enable_unicode_name_support: 'true' });
    // A restored table is not created by a statement that checks its name.
    expect(targetSessionVariables(plan('2.1.7', [{ kind: 'restore', database: 'sales' }]))).toEqual({});
  });

  it('knows each line: 4.0 takes a space in a table name only in Unicode mode, no line in a database name', () => {
    expect(tableNameNeed('4.0.1', 'Kunden Ä')).toBe('unicode');
    expect(tableNameNeed('4.0.1', '1abc')).toBe('plain');
    expect(tableNameNeed('3.0.3', 'Kunden Ä')).toBe('impossible');
    expect(tableNameNeed('3.0.3', 'x'.repeat(65))).toBe('impossible');
    expect(databaseNameNeed('4.0.1', 'a b')).toBe('impossible');
    expect(databaseNameNeed('2.0.15', 'データ')).toBe('unicode');
  });
});
