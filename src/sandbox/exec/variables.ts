// Session variables: `SELECT @@x`, `SHOW [SESSION|GLOBAL] VARIABLES [LIKE 'pat']`.
// SET (database-ddl.ts) stores a session's own values; these are the defaults behind them.
import { rows, type Ctx, type StatementHandler } from '../engine.js';
import type { Cell } from '../store.js';
import { likeFilter } from './show-catalog.js';
import { atLeast, versionComment, type SimVersion } from '../version.js';

export const UNICODE_VARIABLE = 'enable_unicode_name_support';

/** `enable_unicode_name_support` by default: off before 4.0 (SessionVariable.java), on from 4.0. */
const unicodeByDefault = (v: SimVersion): boolean => atLeast(v, 4, 0);

/** Defaults for the variables clients commonly read (a subset; others read as NULL / are absent). */
function defaults(ctx: Ctx): Record<string, string> {
  return {
    autocommit: 'true',
    character_set_client: 'utf8mb4',
    character_set_connection: 'utf8mb4',
    character_set_results: 'utf8mb4',
    collation_connection: 'utf8mb4_0900_bin',
    [UNICODE_VARIABLE]: String(unicodeByDefault(ctx.sim.version)),
    lower_case_table_names: '0',
    max_allowed_packet: '16777216',
    query_timeout: '900',
    sql_mode: 'ONLY_FULL_GROUP_BY',
    system_time_zone: 'Asia/Shanghai',
    time_zone: 'Asia/Shanghai',
    tx_isolation: 'REPEATABLE-READ',
    version: '5.7.99',
    version_comment: versionComment(ctx.sim.version),
    wait_timeout: '28800',
  };
}

/** The value `SELECT @@name` shows in this session. */
export function sessionVariable(ctx: Ctx, name: string): Cell {
  return ctx.session.vars[name] ?? defaults(ctx)[name] ?? null;
}

export const showVariables: StatementHandler = {
  name: 'SHOW VARIABLES',
  match: (c) => c.at('SHOW', 'VARIABLES') || c.at('SHOW', 'SESSION', 'VARIABLES') || c.at('SHOW', 'GLOBAL', 'VARIABLES'),
  run(c, ctx) {
    c.expect('SHOW');
    if (!c.accept('SESSION')) c.accept('GLOBAL');
    c.expect('VARIABLES');
    const like = likeFilter(c);
    c.end();
    const base = defaults(ctx);
    const names = [...new Set([...Object.keys(base), ...Object.keys(ctx.session.vars)])].filter(like).sort();
    return rows(
      ['Variable_name', 'Value', 'Default_Value', 'Changed'],
      names.map((n) => {
        const value = ctx.session.vars[n] ?? base[n] ?? '';
        return [n, value, base[n] ?? '', value === (base[n] ?? '') ? '0' : '1'];
      }),
    );
  },
};
