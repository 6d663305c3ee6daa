// An alert's whole history as the audit log keeps it: every entry aimed at it since it opened
// (acknowledgements, notes, escalations, action runs), read from the store. The console's alert
// detail and the dashboard's alert page show it; the recent actions a console keeps in memory hold
// only the newest entries of the whole log, and on a busy store an alert's runs fall out of them.
import type { Alert, AuditEntry } from '../model.js';
import type { Store } from '../store/types.js';

export async function readAlertHistory(store: Pick<Store, 'readAudit'>, alert: Pick<Alert, 'id' | 'openedAt'>): Promise<AuditEntry[]> {
  // A record whose opening time does not read as one (edited by hand) still shows its history: all of it.
  const since = Number.isNaN(Date.parse(alert.openedAt)) ? {} : { since: alert.openedAt };
  return (await store.readAudit({ ...since, target: alert.id })).filter((e) => e.action !== 'archive');
}
