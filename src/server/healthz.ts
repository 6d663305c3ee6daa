// `GET /healthz`: whether imos is watching. 200 `ok` while the store answers, the poller lease can be
// read and a poller has recorded a round recently (within 3 × the shortest interval, at least
// 1 min); else 503 with every reason, one a line, for a supervisor or an uptime monitor to act on.
import type { ImosConfig } from '../config/types.js';
import { overdueRound } from '../engine/poller-health.js';
import type { Store } from '../store/types.js';
import { sanitizeLine } from '../text/sanitize.js';

export interface Health {
  ok: boolean;
  /** Why not, one reason a line (empty when ok). */
  reasons: string[];
}

const messageOf = (error: unknown) => sanitizeLine(error instanceof Error ? error.message : String(error));

/** What /healthz answers, from what the store holds now. `watchingSinceMs`: when this face started. */
export async function checkHealth(store: Store, config: ImosConfig, nowMs: number, watchingSinceMs: number): Promise<Health> {
  const reasons: string[] = [];
  const health = store.health();
  if (!health.connected) reasons.push(`store unreachable since ${health.since ?? 'now'}: ${sanitizeLine(health.problem ?? 'no answer')}`);
  try {
    await store.lease.read();
  } catch (error) {
    reasons.push(`poller lease unreadable: ${messageOf(error)}`);
  }
  try {
    const [results, core] = await Promise.all([store.read('results'), store.read('core')]);
    const overdue = overdueRound({ checks: config.checks, lastPollAt: results.lastPollAt, watchingSinceMs, nowMs, paused: core.control.paused });
    if (overdue) reasons.push(overdue);
  } catch (error) {
    reasons.push(`store unreadable: ${messageOf(error)}`);
  }
  return { ok: reasons.length === 0, reasons };
}
