// Resolved alerts do not stay in the hot store forever: after `retention.resolved_alerts` (30 days
// by default) they move to the append-only audit log as one `archive` entry each, holding the
// alert's final record. The core file stays small however long the project runs, and reports for
// any past date still find every alert (core ∪ archive).
import type { Alert, AuditEntry } from '../model.js';
import type { CoreData, Store } from '../store/types.js';
import { SYSTEM_ACTOR } from './lifecycle.js';

export const ARCHIVE_ACTION = 'archive';
export const DEFAULT_RESOLVED_RETENTION_MS = 30 * 86_400_000;

/** Resolved alerts older than the retention, oldest first. */
export function alertsDueForArchive(core: Pick<CoreData, 'alerts'>, retentionMs: number, nowMs: number): Alert[] {
  return core.alerts.filter((a) => a.state === 'resolved' && a.resolvedAt !== null && nowMs - Date.parse(a.resolvedAt) >= retentionMs);
}

/**
 * Move old resolved alerts to the archive: written to the audit log first (durable), then removed
 * from core. A crash in between leaves an alert in both places, which readers merge by id: nothing
 * is ever lost. Returns how many were moved.
 */
export async function archiveResolvedAlerts(store: Store, retentionMs: number, nowMs: number): Promise<number> {
  const due = alertsDueForArchive(await store.read('core'), retentionMs, nowMs);
  if (due.length === 0) return 0;
  const at = new Date(nowMs).toISOString();
  const entries: AuditEntry[] = due.map((alert) => ({
    at,
    actor: SYSTEM_ACTOR,
    action: ARCHIVE_ACTION,
    target: alert.id,
    detail: { alert: alert as unknown as Record<string, unknown> },
  }));
  await store.appendAudit(entries);
  const ids = new Set(due.map((a) => a.id));
  return store.update('core', (core) => {
    const before = core.alerts.length;
    // Only what is still resolved: an alert re-opened meanwhile stays.
    core.alerts = core.alerts.filter((a) => !(ids.has(a.id) && a.state === 'resolved'));
    return before - core.alerts.length;
  });
}

/**
 * Every alert that may matter since `sinceIso` (all when undefined): the hot store's, plus those
 * archived since then. An alert found in both is taken from the hot store.
 */
export async function alertsWithArchive(store: Store, core: Pick<CoreData, 'alerts'>, sinceIso?: string): Promise<Alert[]> {
  const archived = (await store.readAudit(sinceIso ? { since: sinceIso } : {}))
    .filter((e) => e.action === ARCHIVE_ACTION && e.detail && typeof e.detail.alert === 'object')
    .map((e) => e.detail!.alert as unknown as Alert);
  if (archived.length === 0) return core.alerts;
  const hot = new Set(core.alerts.map((a) => a.id));
  const seen = new Set<string>();
  const old = archived.filter((a) => !hot.has(a.id) && !seen.has(a.id) && seen.add(a.id));
  return [...old, ...core.alerts];
}
