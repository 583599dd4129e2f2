// Names for tables restored beside an existing one (conflict policy `alias`). RESTORE's `AS <alias>`
// overwrites a same-schema table of that name (doris-facts.md Part B §5.8), so the alias must be a
// name that neither the target nor the migrated set uses. Deterministic. Pure.

/** Picks `<name>_migrated`, then `<name>_migrated2`, 3, ... avoiding every name in `taken`. */
export function pickAlias(name: string, taken: ReadonlySet<string>): string {
  const first = `${name}_migrated`;
  if (!taken.has(first)) return first;
  for (let n = 2; ; n++) {
    const candidate = `${first}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
