// Which outbox rows a dispatcher may take now, as a rule every store applies the same way (the JSON
// and memory stores in a transaction, PostgreSQL in SQL with FOR UPDATE SKIP LOCKED): rows due,
// pending, not claimed by someone whose claim still holds, and of one alert on one channel only the
// oldest pending row (a Slack update must follow its post). A claim made under an older poller
// lease epoch than the claimer's no longer holds: its claimant lost the lease and stopped sending.
import type { OutboxMessage } from '../model.js';
import type { Fence, Store } from './types.js';

export interface OutboxClaimRequest {
  /** Who claims (a dispatcher id), and where it runs. */
  owner: string;
  host: string;
  pid: number;
  nowMs: number;
  /** How long the claim holds. */
  claimTtlMs: number;
  limit: number;
  /** Claimants known to be dead (processes on this host that are gone): their claims lapse now. */
  deadClaimants: string[];
  fence?: Fence;
}

/** Whether `row`'s claim, made under lease epoch `claimedEpoch`, still holds for a claimer at `nowMs` under `fence`. */
export function claimStillHolds(row: OutboxMessage, nowMs: number, fence: Fence | undefined): boolean {
  if (!row.claimedUntil || !(Date.parse(row.claimedUntil) > nowMs)) return false;
  return !(fence && typeof row.claimedEpoch === 'number' && row.claimedEpoch < fence.epoch);
}

function claimHolds(row: OutboxMessage, request: OutboxClaimRequest): boolean {
  if (!claimStillHolds(row, request.nowMs, request.fence)) return false;
  return !(row.claimedBy && request.deadClaimants.includes(row.claimedBy));
}

/** The rows to claim, in store order (pure: the caller marks them claimed). */
export function pickClaims(rows: Iterable<OutboxMessage>, request: OutboxClaimRequest): OutboxMessage[] {
  const picked: OutboxMessage[] = [];
  const blocked = new Set<string>();
  for (const row of rows) {
    if (picked.length >= request.limit) break;
    if (row.state !== 'pending') continue;
    const key = row.alertId ? `${row.channel}\u0000${row.alertId}` : null;
    if (key && blocked.has(key)) continue;
    if (key) blocked.add(key);
    if (Date.parse(row.nextAttemptAt) > request.nowMs) continue;
    if (claimHolds(row, request)) continue;
    picked.push(row);
  }
  return picked;
}

/** A claimed copy of `row`: in flight for `request.owner`, one attempt more. */
export function claimedRow(row: OutboxMessage, request: OutboxClaimRequest): OutboxMessage {
  return {
    ...row,
    claimedBy: request.owner,
    claimedUntil: new Date(request.nowMs + request.claimTtlMs).toISOString(),
    claimedHost: request.host,
    claimedPid: request.pid,
    claimedEpoch: request.fence?.epoch ?? null,
    attempts: row.attempts + 1,
  };
}

/** Claim through an ordinary core transaction (the stores whose transactions are serialised). */
export function claimInTransaction(store: Pick<Store, 'transact'>, request: OutboxClaimRequest): Promise<OutboxMessage[]> {
  return store.transact(
    'core',
    (tx) => pickClaims(tx.iterate('outbox'), request).map((row) => tx.put('outbox', claimedRow(row, request))),
    request.fence ? { fence: request.fence } : {},
  );
}
