// Reads the parts of SHOW CREATE TABLE text the planner needs when the version has no
// information_schema tables for them (2.0, early 2.1). Pure.
import type { Distribution, KeyModel, PartitionType } from './model.js';

export interface CreateTableFacts {
  keyModel?: KeyModel;
  keyColumns: string[];
  partitionType: PartitionType;
  partitionColumns: string[];
  distribution?: Distribution;
  properties: Record<string, string>;
}

const names = (list: string): string[] => [...list.matchAll(/`((?:[^`]|``)*)`/g)].map((m) => m[1]!.replace(/``/g, '`'));

export function parseCreateTable(ddl: string): CreateTableFacts {
  const key = /\n(DUPLICATE|UNIQUE|AGGREGATE) KEY\((.*)\)\n/.exec(ddl);
  // `PARTITION BY RANGE(cols)`, `PARTITION BY LIST (cols)`, and the AUTO forms:
  // `AUTO PARTITION BY RANGE (date_trunc(\`k\`, 'day'))`, `AUTO PARTITION BY LIST (\`k\`)`.
  const part = /\n(?:AUTO )?PARTITION BY (RANGE|LIST) ?\((.*)\)\n/.exec(ddl);
  const dist = /\nDISTRIBUTED BY (?:HASH\((.*?)\)|RANDOM) BUCKETS (AUTO|\d+)/.exec(ddl);
  const props: Record<string, string> = {};
  const propsBlock = /\nPROPERTIES \(\n([\s\S]*)\n\);?\s*$/.exec(ddl)?.[1] ?? '';
  for (const m of propsBlock.matchAll(/"((?:[^"\\]|\\.)*)" = "((?:[^"\\]|\\.)*)"/g)) props[m[1]!] = m[2]!.replace(/\\"/g, '"');
  return {
    ...(key ? { keyModel: key[1] as KeyModel } : {}),
    keyColumns: key ? names(key[2]!) : [],
    partitionType: (part?.[1] as PartitionType | undefined) ?? 'UNPARTITIONED',
    partitionColumns: part ? names(part[2]!) : [],
    ...(dist ? { distribution: { type: dist[1] !== undefined ? 'HASH' : 'RANDOM', columns: dist[1] ? names(dist[1]) : [], buckets: dist[2] === 'AUTO' ? 'AUTO' : Number(dist[2]) } } : {}),
    properties: props,
  };
}

/** Qualified `db.table` references in a query text (views, MV definitions). */
export function referencedTables(query: string, defaultDb: string): { database: string; name: string }[] {
  const out = new Map<string, { database: string; name: string }>();
  const ident = '(?:`(?:[^`]|``)+`|[\\p{L}_][\\p{L}\\p{N}_$-]*)';
  const re = new RegExp(`\\b(?:FROM|JOIN)\\s+(${ident})(?:\\s*\\.\\s*(${ident}))?`, 'giu');
  const unq = (s: string) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
  for (const m of query.matchAll(re)) {
    const [database, name] = m[2] ? [unq(m[1]!), unq(m[2])] : [defaultDb, unq(m[1]!)];
    if (name.startsWith('(')) continue;
    out.set(`${database}.${name}`, { database, name });
  }
  return [...out.values()];
}
