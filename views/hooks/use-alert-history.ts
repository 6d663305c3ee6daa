// The open alert's whole history, read from the store (its own entries only) when its detail opens
// and again whenever the audit log grows (src/alerts/history.ts). Until the first read returns (and
// if it fails) the view model falls back to the recent actions the console keeps in memory.
import { useEffect, useState } from 'react';
import type { Alert, AuditEntry } from '../../src/model.js';
import type { Store } from '../../src/store/types.js';
import { readAlertHistory } from '../../src/alerts/history.js';

export function useAlertHistory(store: Pick<Store, 'readAudit'>, alert: Pick<Alert, 'id' | 'openedAt'> | null, audit: readonly AuditEntry[]): readonly AuditEntry[] | null {
  const [history, setHistory] = useState<{ id: string; entries: readonly AuditEntry[] } | null>(null);
  const id = alert?.id ?? null;
  const openedAt = alert?.openedAt ?? null;
  useEffect(() => {
    if (id === null || openedAt === null) return;
    let current = true;
    readAlertHistory(store, { id, openedAt }).then(
      (entries) => current && setHistory({ id, entries }),
      () => undefined, // the recent actions in memory stand in; the store's trouble shows elsewhere
    );
    return () => {
      current = false;
    };
  }, [store, id, openedAt, audit]);
  return history && history.id === id ? history.entries : null;
}
