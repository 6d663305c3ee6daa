// The audit log in PostgreSQL: imos_audit, append-only, in commit order. Entries are written by
// imos_commit together with the change they record; these are the reads. Archived alerts are
// `archive` entries carrying the alert's final record (the same entries the JSON store keeps).
import type { Alert, AuditEntry } from '../../model.js';
import { ARCHIVE_ACTION, archivedAlertsFrom } from '../archive-entries.js';
import { auditSinceMs } from '../audit-query.js';
import type { AuditQuery } from '../types.js';
import type { PgConnections } from './connection.js';
import { qualified } from './target.js';

/** `since` as a time for SQL; null: no bound. */
function sinceTime(since: string | undefined): string | null {
  const ms = auditSinceMs(since);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * The statement for entries at or after `since` (aimed at `target`), the newest `limit` of them,
 * oldest first. A target is found through imos_audit_target, newest first within it.
 */
export function auditStatement(table: string, query: AuditQuery = {}): { text: string; values: unknown[] } {
  return {
    text:
      `SELECT seq, data FROM (SELECT id, seq, data FROM ${table} WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz) AND ($3::text IS NULL OR target = $3) ` +
      `ORDER BY id DESC LIMIT $2) AS newest ORDER BY id`,
    values: [sinceTime(query.since), query.limit ?? null, query.target ?? null],
  };
}

/** Entries at or after `since` (aimed at `target`), the newest `limit` of them, oldest first. */
export async function readAudit(db: PgConnections, query: AuditQuery = {}): Promise<AuditEntry[]> {
  const rows = await db.run<{ seq: string; data: AuditEntry }>(
    'cannot read the audit log',
    auditStatement(qualified(db.target, 'imos_audit'), query),
    { retry: true },
  );
  return rows.map((row) => ({ ...row.data, seq: Number(row.seq) }));
}

export async function readArchivedAlerts(db: PgConnections, query: { since?: string } = {}): Promise<Alert[]> {
  const since = sinceTime(query.since);
  const rows = await db.run<{ seq: string; data: AuditEntry }>(
    'cannot read the archived alerts',
    {
      // The action as a literal: the partial index on archive entries applies only then.
      text: `SELECT seq, data FROM ${qualified(db.target, 'imos_audit')} WHERE action = '${ARCHIVE_ACTION}' AND ($1::timestamptz IS NULL OR at >= $1::timestamptz) ORDER BY id`,
      values: [since],
    },
    { retry: true },
  );
  return archivedAlertsFrom(rows.map((row) => ({ ...row.data, seq: Number(row.seq) })));
}
