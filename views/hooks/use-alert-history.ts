// The open alert's whole history, read from the store (its own entries only) when its detail opens
// and again whenever the audit log grows (src/alerts/history.ts). Until the first read returns (and
// if it fails) the view model falls back to the recent actions the console keeps in memory. While a
// re-read is under way, the entries the console already holds for the alert are shown with the last
// read's: a run that just ended shows at once, not when the store has been read again.
import { useEffect, useMemo, useState } from 'react';
import type { Alert, AuditEntry } from '../../src/model.js';
import type { Store } from '../../src/store/types.js';
import { readAlertHistory } from '../../src/alerts/history.js';

export function useAlertHistory(store: Pick<Store, 'readAudit'>, alert: Pick<Alert, 'id' | 'openedAt'> | null, audit: readonly AuditEntry[]): readonly AuditEntry[] | null {
  const [history, setHistory] = useState<{ id: string; entries: readonly AuditEntry[]; audit: readonly AuditEntry[] } | null>(null);
  const id = alert?.id ?? null;
  const openedAt = alert?.openedAt ?? null;
  useEffect(() => {
    if (id === null || openedAt === null) return;
    let current = true;
    readAlertHistory(store, { id, openedAt }).then(
      (entries) => current && setHistory({ id, entries, audit }),
      () => undefined, // the recent actions in memory stand in; the store's trouble shows elsewhere
    );
    return () => {
      current = false;
    };
  }, [store, id, openedAt, audit]);
  return useMemo(() => {
    if (!history || history.id !== id) return null;
    return history.audit === audit ? history.entries : withNewer(history.entries, audit, history.id);
  }, [history, id, audit]);
}

/** `read` and the entries of `recent` aimed at `target` that it does not hold, in time order. */
function withNewer(read: readonly AuditEntry[], recent: readonly AuditEntry[], target: string): readonly AuditEntry[] {
  const key = (e: AuditEntry) => `${e.at}\u0000${e.action}\u0000${e.actor}\u0000${String(e.detail?.['runId'] ?? '')}`;
  const held = new Set(read.map(key));
  const missing = recent.filter((e) => e.target === target && !held.has(key(e)));
  if (missing.length === 0) return read;
  return [...read, ...missing].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
