// The tables a view or MV query reads (`FROM` / `JOIN` names, qualified or not). The simulator's
// own copy: sandbox/ imports nothing of the product.
const IDENT = '(?:`(?:[^`]|``)+`|[\\p{L}_][\\p{L}\\p{N}_$]*)';
const REF = new RegExp(`\\b(?:FROM|JOIN)\\s+(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`, 'giu');
const unquote = (s: string): string => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);

export function referencedTables(query: string, defaultDb: string): { database: string; name: string }[] {
  const out = new Map<string, { database: string; name: string }>();
  for (const m of query.matchAll(REF)) {
    const [database, name] = m[2] ? [unquote(m[1]!), unquote(m[2])] : [defaultDb, unquote(m[1]!)];
    if (database.toLowerCase() === 'information_schema') continue;
    out.set(`${database}.${name}`, { database, name });
  }
  return [...out.values()];
}
