// Resolved alerts leave the hot store after their retention: the JSON store keeps each one's final
// record in the audit log as an `archive` entry (stored in the same commit that removes it), so the
// core files stay small however long a project runs and reports for any past date still find it.
import type { Alert, AuditEntry } from '../model.js';

export const ARCHIVE_ACTION = 'archive';

/** The alerts archived in these entries (the first record of each id wins). */
export function archivedAlertsFrom(entries: AuditEntry[]): Alert[] {
  const seen = new Set<string>();
  const out: Alert[] = [];
  for (const entry of entries) {
    if (entry.action !== ARCHIVE_ACTION || !entry.detail || typeof entry.detail.alert !== 'object' || entry.detail.alert === null) continue;
    const alert = entry.detail.alert as unknown as Alert;
    if (seen.has(alert.id)) continue;
    seen.add(alert.id);
    out.push(alert);
  }
  return out;
}
