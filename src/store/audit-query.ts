// The `since` of an audit query, read the same way by every store: absent means no bound; anything
// else must be a time, or the query is refused with the value named (a store that quietly read it
// as "everything" or "nothing" would hand a face a wrong answer that looks right).
import { AuditQueryError } from './types.js';

/** `since` in epoch milliseconds; undefined when the query has no `since`. */
export function auditSinceMs(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new AuditQueryError(`audit query: since ${JSON.stringify(since)} is not a time (expected an ISO time such as 2026-01-05T09:00:00Z)`, since);
  return ms;
}
