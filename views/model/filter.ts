// The filter of a list (`/`): rows carry their lower-cased search text.

/** Filter rows by a case-insensitive substring of their search text. */
export function filterRows<T extends { search: string }>(rows: readonly T[], filter: string): readonly T[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) => r.search.includes(f));
}

/** Filters kept per list of rows while it stays the same (each a few dozen kilobytes at most). */
const KEPT_FILTERS = 16;

/**
 * Filter as you type: a filter that extends an earlier one only looks at that one's matches
 * (10,000 alerts are scanned once, not on every key), and a filter typed before on the same rows
 * (Backspace) gives its matches again without a scan. The same rows and filter give the same array;
 * new rows (a store change) are filtered anew.
 */
export function incrementalFilter<T extends { search: string }>(): (rows: readonly T[], filter: string) => readonly T[] {
  let typedOn: readonly T[] | null = null;
  const typed = new Map<string, readonly T[]>();
  return (rows, filter) => {
    const f = filter.trim().toLowerCase();
    if (!f) return rows;
    if (typedOn !== rows) {
      typedOn = rows;
      typed.clear();
    }
    const known = typed.get(f);
    if (known) return known;
    // The longest filter typed before that this one extends: its matches hold every match of this one.
    let base: readonly T[] = rows;
    let baseLength = 0;
    for (const [earlier, matches] of typed) {
      if (earlier.length > baseLength && f.startsWith(earlier)) {
        base = matches;
        baseLength = earlier.length;
      }
    }
    const result = filterRows(base, f);
    if (typed.size >= KEPT_FILTERS) typed.delete(typed.keys().next().value!);
    typed.set(f, result);
    return result;
  };
}
