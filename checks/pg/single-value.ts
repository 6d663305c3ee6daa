// User queries that must answer with one value (sql, sync-lag, consistency): first column of the
// first row, with a clear message when the answer has another shape.
import { redactSecrets } from '../../src/text/redact.js';
import { sanitizeLine, sanitizeText } from '../../src/text/sanitize.js';
import type { Session } from './session.js';

export type SingleValue = { ok: true; value: unknown } | { ok: false; problem: string };

export async function querySingleValue(db: Session, query: string): Promise<SingleValue> {
  const rows = await db.queryArrays(query);
  if (rows.length === 0) return { ok: false, problem: 'the query returned no rows (expected one row with one value)' };
  const first = rows[0]!;
  if (first.length === 0) return { ok: false, problem: 'the query returned no columns' };
  return { ok: true, value: first[0] };
}

/**
 * Short, sanitised rendering of an unexpected value for a message. Secrets are removed before
 * the value is cut short: a cut URL would no longer be recognised as one.
 */
export function showValue(value: unknown, secrets: string[] = []): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const clean = sanitizeLine(redactSecrets(sanitizeText(text), secrets), 40);
  return typeof value === 'string' ? `'${clean}'` : clean;
}
