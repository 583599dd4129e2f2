// Which names Doris accepts for databases, tables, columns, partitions, labels and repositories
// (FeNameFormat), by version and by the session variable `enable_unicode_name_support`.
//
// Two rule sets: branch-2.0/2.1/3.0 (identical regexes there) and the newest line (master after
// PR #53479, taken as 4.0), which accepts any table or column name not ending in white space in
// unicode mode, and any table name of letters, digits, `-`, `_` and `$` otherwise. The variable is
// off by default before 4.0 and on from 4.0. Java's `\s` is ASCII white space only, hence WS below.
import type { Ctx } from './engine.js';
import { codedError, dorisError, type DorisError } from './errors.js';
import { sessionVariable, UNICODE_VARIABLE } from './exec/variables.js';
import { atLeast } from './version.js';

/** Java's `\s` (no Unicode spaces) and `\S`. */
const WS = ' \\t\\n\\x0B\\f\\r';
const NON_WS = `[^${WS}]`;

interface Rules {
  common: string;
  table: string;
  column: string;
  label: string;
  repository: string;
}

// Shown in error texts exactly as Doris's Java source spells them.
const OLD: { plain: Rules; unicode: Rules } = {
  plain: {
    common: '^[a-zA-Z][a-zA-Z0-9-_]{0,63}$',
    table: '^[a-zA-Z][a-zA-Z0-9-_]*$',
    column: '^[_a-zA-Z@0-9\\s/][.a-zA-Z0-9_+-/?@#$%^&*"\\s,:]{0,255}$',
    label: '^[-_A-Za-z0-9:]{1,128}$',
    repository: '^[a-zA-Z][a-zA-Z0-9-_]{0,63}$',
  },
  unicode: {
    common: '^[a-zA-Z\\p{L}][a-zA-Z0-9-_\\p{L}]{0,63}$',
    table: '^[a-zA-Z\\p{L}][a-zA-Z0-9-_\\p{L}]*$',
    column: '^[_a-zA-Z@0-9\\p{L}][.a-zA-Z0-9_+-/?@#$%^&*\\p{L}]{0,255}$',
    label: '^[-_A-Za-z0-9:\\p{L}]{1,128}$',
    repository: '^[a-zA-Z\\p{L}][a-zA-Z0-9-_\\p{L}]{0,63}$',
  },
};
const NEWEST: { plain: Rules; unicode: Rules } = {
  plain: {
    common: '^[a-zA-Z][a-zA-Z0-9\\-_]{0,63}$',
    table: '^[a-zA-Z0-9\\-_$]*$',
    column: '^[.a-zA-Z0-9_+\\-/?@#$%^&*"\\s,:]{0,255}[.a-zA-Z0-9_+\\-/?@#$%^&*",:]$',
    label: '^[\\-_A-Za-z0-9:]{1,128}$',
    repository: '^[a-zA-Z][a-zA-Z0-9\\-_]{0,255}$',
  },
  unicode: {
    common: '^[a-zA-Z\\p{L}][a-zA-Z0-9\\-_\\p{L}]{0,63}$',
    table: '^[\\s\\S]*[\\S]$',
    column: '^[\\s\\S]{0,255}[\\S]$',
    label: '^[\\-_A-Za-z0-9:\\p{L}]{1,128}$',
    repository: '^[a-zA-Z\\p{L}][a-zA-Z0-9\\-_\\p{L}]{0,255}$',
  },
};

const compiled = new Map<string, RegExp>();
/** A Java regex source as a JS RegExp with Java's meaning (code points, ASCII `\s`). */
function regex(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    // `-` before `_` after a range is a literal in Java; escaped so that `u` mode reads it so too.
    const js = source.replaceAll('[\\s\\S]', '[^]').replaceAll('[\\S]', NON_WS).replaceAll('\\s', WS).replace(/(?<=\[|[^\\])-(?=_)/g, '\\-');
    re = new RegExp(js, 'u');
    compiled.set(source, re);
  }
  return re;
}

/** The session's setting: its own `SET`, else the version's default (variables.ts). */
const unicodeNames = (ctx: Ctx): boolean => /^(true|1|on)$/i.test(String(sessionVariable(ctx, UNICODE_VARIABLE)));

function rules(ctx: Ctx): Rules {
  const set = atLeast(ctx.sim.version, 4, 0) ? NEWEST : OLD;
  return unicodeNames(ctx) ? set.unicode : set.plain;
}

const matches = (name: string, source: string): boolean => name !== '' && regex(source).test(name);

/** Table name length limit (Config.table_name_length_limit), in UTF-16 units as Java counts. */
const TABLE_NAME_LENGTH_LIMIT = 64;

export function checkDbName(ctx: Ctx, name: string): void {
  if (!matches(name, rules(ctx).common)) throw codedError(1102, '42000', `Incorrect database name '${name}'`);
}

/** Tables, views, materialized views, rollups. */
export function checkTableName(ctx: Ctx, name: string): void {
  const source = rules(ctx).table;
  if (!matches(name, source)) throw codedError(1103, '42000', `Incorrect table name '${name}'. Table name regex is '${source}'`);
  if (name.length > TABLE_NAME_LENGTH_LIMIT) {
    throw codedError(5089, '42000', `Table name length exceeds limit, the length of table name '${name}' is ${name.length} which is greater than the configuration 'table_name_length_limit' (${TABLE_NAME_LENGTH_LIMIT}).`);
  }
}

export function checkColumnName(ctx: Ctx, name: string): void {
  const source = rules(ctx).column;
  const wrong = (): DorisError => codedError(1166, '42000', `Incorrect column name '${name}'. Column regex is '${source}'`);
  if (!matches(name, source)) throw wrong();
  if (atLeast(ctx.sim.version, 4, 0)) {
    // Schema change's shadow columns and Doris's hidden ones, compared case-insensitively.
    for (const prefix of ['__doris_shadow_', '__DORIS_']) {
      if (name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()) throw dorisError(`Incorrect column name ${name}, column name can't start with '${prefix}'`);
    }
    return;
  }
  if (name.startsWith('__doris_shadow_')) throw wrong();
  if (name.startsWith('mv_') || name.startsWith('mva_')) throw dorisError(`Incorrect column name ${name}, column name can't start with 'mv_'/'mva_'`);
}

export function checkPartitionName(ctx: Ctx, name: string): void {
  if (!matches(name, rules(ctx).common) || name.startsWith('placeholder_')) throw codedError(1567, 'HY000', 'Incorrect partition name');
}

/** BACKUP / RESTORE snapshot labels. */
export function checkLabel(ctx: Ctx, label: string): void {
  const source = rules(ctx).label;
  if (!matches(label, source)) throw dorisError(`Label format error. regex: ${source}, label: ${label}`);
}

export function checkRepositoryName(ctx: Ctx, name: string): void {
  const source = rules(ctx).repository;
  if (matches(name, source)) return;
  // ERR_WRONG_NAME_FORMAT names the format from 3.0 on.
  throw codedError(5063, '42000', atLeast(ctx.sim.version, 3, 0) ? `Incorrect repository name '${name}', required format is '${source}'` : `Incorrect repository name '${name}'`);
}
