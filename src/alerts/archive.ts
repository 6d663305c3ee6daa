// Resolved alerts do not stay in the hot store forever: after `retention.resolved_alerts` (30 days
// by default) they leave it, each in one transaction with an `archive` audit entry holding the
// alert's final record. The hot store stays small however long the project runs, and reports for
// any past date still find every alert (hot ∪ archive).
import type { Alert, AuditEntry } from '../model.js';
import { ARCHIVE_ACTION } from '../store/archive-entries.js';
import type { Fence, Store } from '../store/types.js';
import { SYSTEM_ACTOR, type AlertsRead } from './lifecycle.js';

export { ARCHIVE_ACTION } from '../store/archive-entries.js';
export const DEFAULT_RESOLVED_RETENTION_MS = 30 * 86_400_000;

/** Resolved alerts older than the retention, oldest first. */
export function alertsDueForArchive(core: AlertsRead, retentionMs: number, nowMs: number): Alert[] {
  return core.alerts.filter((a) => a.state === 'resolved' && a.resolvedAt !== null && nowMs - Date.parse(a.resolvedAt) >= retentionMs);
}

/** Move old resolved alerts to the archive, with their audit entries, in one commit. Returns how many. */
export async function archiveResolvedAlerts(store: Store, retentionMs: number, nowMs: number, options: { fence?: Fence } = {}): Promise<number> {
  if (alertsDueForArchive(await store.read('core'), retentionMs, nowMs).length === 0) return 0;
  const at = new Date(nowMs).toISOString();
  return store.transact(
    'core',
    (tx) => {
      const due = alertsDueForArchive({ alerts: tx.all('alerts') }, retentionMs, nowMs);
      const entries: AuditEntry[] = due.map((alert) => ({
        at,
        actor: SYSTEM_ACTOR,
        action: ARCHIVE_ACTION,
        target: alert.id,
        detail: { alert: alert as unknown as Record<string, unknown> },
      }));
      for (const alert of due) tx.delete('alerts', alert.id);
      tx.audit(...entries);
      return due.length;
    },
    options,
  );
}

/**
 * Every alert that may matter since `sinceIso` (all when undefined): the hot store's, plus those
 * archived since then. An alert found in both is taken from the hot store.
 */
export async function alertsWithArchive(store: Store, core: AlertsRead, sinceIso?: string): Promise<Alert[]> {
  const archived = await store.readArchivedAlerts(sinceIso ? { since: sinceIso } : {});
  if (archived.length === 0) return [...core.alerts];
  const hot = new Set(core.alerts.map((a) => a.id));
  return [...archived.filter((a) => !hot.has(a.id)), ...core.alerts];
}
