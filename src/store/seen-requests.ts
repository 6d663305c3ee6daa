// Requests already seen, kept in the store: a replay guard that survives a restart and is shared
// by every process on the store (each `imos serve` behind a load balancer, one after another). One
// small record per guard in the core section (`kv`, key `seen:<guard>`): request id → when it was
// first seen, pruned as it goes, so it holds only the ids still inside the guard's window.
import type { Store } from './types.js';

/** Ids kept per guard at most (the oldest go first): a bound, far above any real request rate. */
export const MAX_SEEN = 5000;

export function seenKey(guard: string): string {
  return `seen:${guard}`;
}

/**
 * True the first time `id` is offered to `guard` within `windowMs`; false for a repeat (a replay),
 * whichever process on the store saw it first. Two processes offering the same new id at once:
 * exactly one of them gets true (the store commits one transaction at a time per record).
 */
export async function admitOnce(store: Store, guard: string, id: string, nowMs: number, windowMs: number): Promise<boolean> {
  const key = seenKey(guard);
  return store.transact('core', (tx) => {
    const stored = tx.get('kv', key)?.value;
    const seen: Record<string, number> = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Record<string, number>) } : {};
    const at = seen[id];
    if (typeof at === 'number' && nowMs - at <= windowMs) return false;
    const kept = Object.entries(seen).filter(([, when]) => typeof when === 'number' && nowMs - when <= windowMs && when <= nowMs + windowMs);
    kept.sort((a, b) => a[1] - b[1]);
    const next = Object.fromEntries(kept.slice(Math.max(0, kept.length - (MAX_SEEN - 1))));
    next[id] = nowMs;
    tx.put('kv', { key, value: next });
    return true;
  });
}
