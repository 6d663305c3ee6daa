// The filter of a list (`/`): rows carry their lower-cased search text.

/** Filter rows by a case-insensitive substring of their search text. */
export function filterRows<T extends { search: string }>(rows: readonly T[], filter: string): readonly T[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) => r.search.includes(f));
}
