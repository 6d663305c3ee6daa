// The filter of a list (`/`): rows carry their lower-cased search text.

/** Filter rows by a case-insensitive substring of their search text. */
export function filterRows<T extends { search: string }>(rows: readonly T[], filter: string): readonly T[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) => r.search.includes(f));
}

/**
 * Filter as you type: a filter that extends the previous one only looks at the previous matches
 * (10,000 alerts are scanned once, not on every key). The same rows and filter give the same array.
 */
export function incrementalFilter<T extends { search: string }>(): (rows: readonly T[], filter: string) => readonly T[] {
  let last: { rows: readonly T[]; filter: string; result: readonly T[] } | null = null;
  return (rows, filter) => {
    const f = filter.trim().toLowerCase();
    if (last && last.rows === rows && last.filter === f) return last.result;
    const base = last && last.rows === rows && last.filter && f.startsWith(last.filter) ? last.result : rows;
    const result = filterRows(base, f);
    last = { rows, filter: f, result };
    return result;
  };
}
