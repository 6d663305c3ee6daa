// Outbox claims in PostgreSQL: imos_claim_outbox applies the rule of outbox-claims.ts in SQL, with
// the rows locked FOR UPDATE SKIP LOCKED, and stores the claims as one core change (fenced like the
// poller's other writes). The claimed rows come back for the caller to send.
import type { OutboxMessage } from '../../model.js';
import type { OutboxClaimRequest } from '../outbox-claims.js';
import type { PgConnections } from './connection.js';
import { qualified } from './target.js';

export interface ClaimResult {
  /** The core change the claims were stored under; null when nothing was claimed. */
  seq: number | null;
  rows: OutboxMessage[];
}

export async function claimOutboxRows(db: PgConnections, request: OutboxClaimRequest): Promise<ClaimResult> {
  const payload = {
    nowMs: request.nowMs,
    // The same text claimedRow() writes, so a claim reads the same from either store.
    claimedUntil: new Date(request.nowMs + request.claimTtlMs).toISOString(),
    owner: request.owner,
    host: request.host,
    pid: request.pid,
    limit: Math.max(0, Math.floor(request.limit)),
    dead: request.deadClaimants,
    fence: request.fence ?? null,
  };
  const [row] = await db.query<{ r: { seq: number | string | null; rows: OutboxMessage[] } }>(
    'not claimed',
    { text: `SELECT ${qualified(db.target, 'imos_claim_outbox')}($1) AS r`, values: [JSON.stringify(payload)] },
    { failFast: true },
  );
  const seq = row!.r.seq === null ? null : Number(row!.r.seq);
  return { seq, rows: row!.r.rows };
}
