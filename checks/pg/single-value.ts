// User queries that must answer with one value (sql, sync-lag, consistency): first column of the
// first row, with a clear message when the answer has another shape.
import { sanitizeLine } from '../../src/text/sanitize.js';
import type { Session } from './session.js';

export type SingleValue = { ok: true; value: unknown } | { ok: false; problem: string };

export async function querySingleValue(db: Session, query: string): Promise<SingleValue> {
  const rows = await db.queryArrays(query);
  if (rows.length === 0) return { ok: false, problem: 'the query returned no rows (expected one row with one value)' };
  const first = rows[0]!;
  if (first.length === 0) return { ok: false, problem: 'the query returned no columns' };
  return { ok: true, value: first[0] };
}

/** Short, sanitised rendering of an unexpected value for a message. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return `'${sanitizeLine(value, 40)}'`;
  return sanitizeLine(typeof value === 'object' ? JSON.stringify(value) : String(value), 40);
}
