// The poller lease rule as pure functions, shared by the stores that keep the lease themselves
// (the JSON file; PostgreSQL decides the same in SQL on the database's clock).
import type { LeaseHolder } from '../model.js';

export type LeaseAction = 'renew' | 'take' | 'wait';

export interface Claimant {
  token: string;
  host: string;
  pid: number;
}

/** Given the stored holder and the time, what may `me` do? */
export function leaseAction(holder: LeaseHolder | null, me: Claimant, now: number, ttlMs: number, isAlive: (pid: number) => boolean): LeaseAction {
  if (!holder) return 'take';
  if (holder.token === me.token) return 'renew';
  const renewedAt = Date.parse(holder.renewedAt);
  if (Number.isNaN(renewedAt) || now - renewedAt >= ttlMs) return 'take';
  if (holder.host === me.host && holder.pid !== me.pid && !isAlive(holder.pid)) return 'take';
  return 'wait';
}

/** Whether a stored holder is still live (fresh and, on this host, its process alive). */
export function isLiveHolder(
  holder: LeaseHolder | null,
  now: number,
  ttlMs: number,
  host: string,
  isAlive: (pid: number) => boolean,
): holder is LeaseHolder {
  if (!holder) return false;
  const renewedAt = Date.parse(holder.renewedAt);
  if (Number.isNaN(renewedAt) || now - renewedAt >= ttlMs) return false;
  return !(holder.host === host && !isAlive(holder.pid));
}
