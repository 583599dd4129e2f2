// Which database and table names a Doris FE lets a session create, by version and by the session
// variable `enable_unicode_name_support` (Doris's FeNameFormat). RESTORE does not check names, but
// CREATE DATABASE and CREATE MATERIALIZED VIEW do: before 4.0 the variable is off by default, so a
// database such as `Verkäufe` can be created only by a session that turns it on. Pure.
import type { DorisVersion } from '../catalog/model.js';
import { atLeast } from './capabilities.js';

type Version = Pick<DorisVersion, 'major' | 'minor' | 'patch'>;

export const UNICODE_NAMES_VARIABLE = 'enable_unicode_name_support';

/** What a name needs from the session: nothing, Unicode names on, or no session can create it. */
export type NameNeed = 'plain' | 'unicode' | 'impossible';

interface LineRules {
  database: { plain: RegExp; unicode: RegExp };
  table: { plain: RegExp; unicode: RegExp };
}

// Before 4.0 (branch-2.0 to 3.0 alike): letters first, then letters, digits, '-' and '_'.
const BEFORE_4: LineRules = {
  database: { plain: /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/u, unicode: /^[a-zA-Z\p{L}][a-zA-Z0-9_\p{L}-]{0,63}$/u },
  table: { plain: /^[a-zA-Z][a-zA-Z0-9_-]*$/u, unicode: /^[a-zA-Z\p{L}][a-zA-Z0-9_\p{L}-]*$/u },
};
// 4.0: a Unicode table name may be anything not ending in (ASCII) white space.
const FROM_4: LineRules = {
  database: BEFORE_4.database,
  // Java's \s, ASCII white space only (\x0B included), written out.
  table: { plain: /^[a-zA-Z0-9_$-]+$/u, unicode: new RegExp('^[^]*[^ \\t\\n\\v\\f\\r]$', 'u') },
};

/** Doris's table_name_length_limit default, counted in UTF-16 units as Java does. */
const TABLE_NAME_LIMIT = 64;

const rulesFor = (version: Version): LineRules => (atLeast(version, 4, 0) ? FROM_4 : BEFORE_4);

const need = (name: string, rule: { plain: RegExp; unicode: RegExp }): NameNeed =>
  rule.plain.test(name) ? 'plain' : rule.unicode.test(name) ? 'unicode' : 'impossible';

export function databaseNameNeed(version: Version, name: string): NameNeed {
  return need(name, rulesFor(version).database);
}

/** Tables, views and materialized views. */
export function tableNameNeed(version: Version, name: string): NameNeed {
  return name.length > TABLE_NAME_LIMIT ? 'impossible' : need(name, rulesFor(version).table);
}

/** In words, for a refusal: what a database name may hold on this version. */
export const databaseNameRule = 'a letter first, then up to 63 letters, digits, "-" or "_" (letters beyond ASCII only with enable_unicode_name_support)';
