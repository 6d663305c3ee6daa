// What the header says about the poller: who holds the lease, and whether it has gone stale.
import type { LeaseHolder } from '../../src/model.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { msOf as ms } from './format.js';

export function holderLabel(holder: LeaseHolder | null, nowMs: number, ttlMs = 10_000): string {
  if (!holder) return 'no poller';
  const stale = nowMs - ms(holder.renewedAt) > ttlMs;
  return `${sanitizeLine(holder.role, 12)} ${sanitizeLine(holder.user, 20)}@${sanitizeLine(holder.host, 24)} pid ${holder.pid}${stale ? ' (stale)' : ''}`;
}
