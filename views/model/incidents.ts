// The incident history: resolved alerts of the last 30 days, newest first, with how long each
// lasted, who acknowledged it, who resolved it and the notes people left (on the alert and in the
// audit log). Pure: alerts (hot and archived) + audit entries + now → rows, sanitised.
import type { Alert, AuditEntry, Severity } from '../../src/model.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { msOf as ms } from './format.js';

export const INCIDENT_WINDOW_MS = 30 * 86_400_000;

export interface IncidentNote {
  at: string;
  actor: string;
  action: string;
  text: string;
}

export interface IncidentRow {
  id: string;
  severity: Severity;
  system: string;
  type: string;
  message: string;
  openedAt: string;
  resolvedAt: string;
  durationMs: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** Who resolved it by hand; null when it resolved itself (the check recovered). */
  resolvedBy: string | null;
  notes: IncidentNote[];
}

/** Notes left on alerts, by alert id, oldest first. */
export function notesByAlert(audit: readonly AuditEntry[]): Map<string, IncidentNote[]> {
  const out = new Map<string, IncidentNote[]>();
  for (const e of audit) {
    if (!e.note) continue;
    const list = out.get(e.target) ?? [];
    list.push({ at: e.at, actor: sanitizeLine(e.actor, 40), action: sanitizeLine(e.action, 20), text: sanitizeLine(e.note, 300) });
    out.set(e.target, list);
  }
  return out;
}

/**
 * Resolved alerts whose resolution falls in the window, newest first (at most `limit`). An alert
 * found among the hot ones and the archived ones is taken from the hot store.
 */
export function incidentRows(
  hot: readonly Alert[],
  archived: readonly Alert[],
  audit: readonly AuditEntry[],
  nowMs: number,
  limit = 50,
  windowMs = INCIDENT_WINDOW_MS,
): IncidentRow[] {
  const hotIds = new Set(hot.map((a) => a.id));
  const since = nowMs - windowMs;
  const resolved = [...hot, ...archived.filter((a) => !hotIds.has(a.id))].filter(
    (a) => a.state === 'resolved' && a.resolvedAt !== null && ms(a.resolvedAt) >= since,
  );
  resolved.sort((a, b) => ms(b.resolvedAt) - ms(a.resolvedAt));
  const notes = notesByAlert(audit);
  return resolved.slice(0, limit).map((a) => {
    const own = notes.get(a.id) ?? [];
    // The acknowledgement's note is on the alert too; the audit log says it once.
    const ackNote = a.ackNote && !own.some((n) => n.action === 'ack') ? [{ at: a.acknowledgedAt ?? a.openedAt, actor: sanitizeLine(a.acknowledgedBy ?? '', 40), action: 'ack', text: sanitizeLine(a.ackNote, 300) }] : [];
    return {
      id: sanitizeLine(a.id, 12),
      severity: a.severity,
      system: sanitizeLine(a.system, 40),
      type: sanitizeLine(a.type, 40),
      message: sanitizeLine(a.message, 200),
      openedAt: a.openedAt,
      resolvedAt: a.resolvedAt!,
      durationMs: Math.max(0, ms(a.resolvedAt) - ms(a.openedAt)),
      acknowledgedBy: a.acknowledgedBy ? sanitizeLine(a.acknowledgedBy, 40) : null,
      acknowledgedAt: a.acknowledgedAt,
      resolvedBy: a.resolvedBy ? sanitizeLine(a.resolvedBy, 40) : null,
      notes: [...ackNote, ...own],
    };
  });
}
