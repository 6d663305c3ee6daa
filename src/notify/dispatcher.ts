// The outbox dispatcher: delivers the notifications other modules wrote to `core.outbox`.
//
// Each flush claims the due rows through the store (Store.claimOutbox: two dispatchers never hold a
// claim on the same row), sends them one by one, and records the outcome right after each send,
// together with its audit entry. The holder's writes carry its lease fence: a dispatcher that lost
// the lease claims and records nothing more. Retries are timestamps in
// the store (`nextAttemptAt`), so a restart neither forgets nor repeats a row.
//
// Delivery is at least once, with one narrow corner: if a process dies after the peer accepted a
// message but before `sentAt` was recorded (milliseconds), another dispatcher sends it again: at
// once when the claimant was a process on this host that is gone (kill -9 of the poller holder:
// its successor must not sit on the escalations it had claimed), otherwise when the claim expires
// after `claimTtlMs`. A flush the store cut short (a database restart between the claim and the
// record) leaves its rows claimed: the same dispatcher's next flush takes them again at once. Such
// a row reaches its sender marked `earlierAttemptUnknown`: Slack looks
// for the row's message before posting it again; webhook receivers get the row id
// (`X-Imos-Delivery`) to drop a duplicate. Every other case sends a row exactly once.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Alert, AuditEntry, OutboxMessage } from '../model.js';
import { configSecrets } from '../config/secrets.js';
import { isProcessAlive } from '../processes.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreView, Fence, Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import { sanitizeLine } from '../text/sanitize.js';
import { redactSecrets } from '../text/redact.js';
import { claimStillHolds } from '../store/outbox-claims.js';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './backoff.js';
import { channelProblem } from '../channels/registry.js';
import { asDeliveryError, type ChannelSenders, type SendResult } from '../channels/types.js';

export interface DispatcherOptions {
  retry?: Partial<RetryPolicy>;
  /** How long a claim holds: longer than any send can take (senders time out well before). */
  claimTtlMs?: number;
  /** Rows claimed per flush. */
  batchSize?: number;
  /** Identifies this dispatcher in claims (default: a random id). */
  owner?: string;
  /** Secret values to blank out of recorded errors (tokens, passwords). */
  secrets?: string[];
  /** Sent rows older than this are dropped from the store (failed rows stay until retried). */
  retainSentMs?: number;
  /** Told about every outcome (for a daemon's log). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Whether a claimant's pid on this host is alive (default `process.kill(pid, 0)`; tests override). */
  isAlive?: (pid: number) => boolean;
}

export interface DeliveryOutcome {
  id: string;
  channel: string;
  kind: string;
  alertId: string | null;
  result: 'sent' | 'retry' | 'failed';
  error?: string;
  nextAttemptAt?: string;
  /** The peer asked us to slow down (429 / Retry-After). */
  rateLimited?: boolean;
}

export interface FlushReport {
  sent: number;
  retried: number;
  failed: number;
  outcomes: DeliveryOutcome[];
}

export class Dispatcher {
  private readonly policy: RetryPolicy;
  private readonly claimTtlMs: number;
  private readonly batchSize: number;
  private readonly retainSentMs: number;
  readonly owner: string;
  private readonly secrets: string[];
  private running: Promise<FlushReport> | null = null;
  private followUp: Promise<FlushReport> | null = null;
  /** The fence of the flush under way (the lease holder's). */
  private fence: Fence | undefined;
  private readonly host = os.hostname();
  private readonly isAlive: (pid: number) => boolean;

  constructor(
    private readonly store: Store,
    private readonly config: ImosConfig,
    private readonly clock: Clock,
    private readonly senders: ChannelSenders,
    private readonly options: DispatcherOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.claimTtlMs = options.claimTtlMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.retainSentMs = options.retainSentMs ?? 7 * 24 * 3_600_000;
    this.owner = options.owner ?? `dispatcher-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.secrets = [...configSecrets(config), ...(options.secrets ?? [])];
    this.isAlive = options.isAlive ?? isProcessAlive;
  }

  /** A claim made by a process on this host that is gone (kill -9 of the previous holder). */
  private deadHere(row: OutboxMessage): boolean {
    return row.claimedHost === this.host && typeof row.claimedPid === 'number' && row.claimedPid !== process.pid && !this.isAlive(row.claimedPid);
  }

  /**
   * A claim of this dispatcher's own, seen when a flush starts, is left over from a flush that
   * stopped early (the store stopped answering, or the lease could not be confirmed, between the
   * claim and the sends): flushes never overlap, so nothing of ours is in flight. It must not wait
   * for the claim to lapse (minutes): after a database restart the same holder keeps its lease and
   * epoch, and nobody else would send the rows meanwhile.
   */
  private leftOver(row: OutboxMessage): boolean {
    return row.claimedBy === this.owner;
  }

  /** Another dispatcher's claim on the row still holds: not lapsed, not of an older lease epoch, and not of a dead process here. */
  private claimHolds(row: OutboxMessage, nowMs: number): boolean {
    if (this.leftOver(row) || !claimStillHolds(row, nowMs, this.fence)) return false;
    return !this.deadHere(row);
  }

  /**
   * A holder sends only while the lease is still its own, as stored: asked before every send, so a
   * holder that lost it (stalled, cut off from the store) stops at once; its successor takes over
   * the rows it had claimed (their claims carry the older epoch).
   */
  private async stillHolding(): Promise<boolean> {
    if (!this.fence) return true;
    try {
      return (await this.store.lease.read())?.token === this.fence.token;
    } catch {
      return false; // the store cannot be reached: nothing could be recorded either
    }
  }

  private get transactOptions(): { fence?: Fence } {
    return this.fence ? { fence: this.fence } : {};
  }

  /**
   * Deliver the rows due at `nowMs`. Only the poller-lease holder calls this. A call while a flush
   * runs gets one more flush right after it (shared by every such call), so rows queued meanwhile
   * are not left for later; flushes never overlap.
   */
  flush(nowMs: number = this.clock.now(), fence?: Fence): Promise<FlushReport> {
    if (fence) this.fence = fence;
    if (!this.running) {
      this.running = this.flushOnce(nowMs).finally(() => {
        this.running = null;
      });
      return this.running;
    }
    if (!this.followUp) {
      this.followUp = this.running
        .catch(() => undefined)
        .then(() => {
          this.followUp = null;
          return this.flush(this.clock.now());
        });
    }
    return this.followUp;
  }

  private async flushOnce(nowMs: number): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, retried: 0, failed: 0, outcomes: [] };
    // A sent row may unblock the next row of its alert (a Slack update after the post): claim
    // again while rounds make progress, a bounded number of times.
    for (let round = 0; round < 5; round++) {
      // Called every tick: a plain read decides, so an idle outbox never rewrites the store.
      if (!this.hasWork(await this.store.read('core'), nowMs)) break;
      const claimed = await this.claim(nowMs);
      let progressed = false;
      // A channel that asked us to slow down (429) is left alone for the rest of this flush.
      const paused = new Map<string, string>();
      let holding = true;
      for (const { row, earlierAttemptUnknown } of claimed) {
        if (!(await this.stillHolding())) {
          holding = false;
          break;
        }
        const until = paused.get(row.channel);
        if (until) {
          await this.release(row, until);
          continue;
        }
        const outcome = await this.deliver(row, earlierAttemptUnknown);
        if (outcome.result === 'retry' && outcome.rateLimited) paused.set(row.channel, outcome.nextAttemptAt!);
        report.outcomes.push(outcome);
        if (outcome.result === 'sent') report.sent++;
        else if (outcome.result === 'retry') report.retried++;
        else report.failed++;
        progressed ||= outcome.result !== 'retry';
        this.options.onOutcome?.(outcome);
      }
      if (!holding || !progressed || paused.size > 0) break;
    }
    return report;
  }

  /** Give a claimed row back untried (no attempt counted), due again at `until`. */
  private async release(row: OutboxMessage, until: string): Promise<void> {
    await this.store.transact(
      'core',
      (tx) => {
        const found = tx.get('outbox', row.id);
        if (!found || found.state !== 'pending' || found.claimedBy !== this.owner) return;
        const stored = tx.edit('outbox', row.id);
        stored.claimedBy = null;
        stored.claimedUntil = null;
        stored.attempts = Math.max(0, stored.attempts - 1);
        if (Date.parse(stored.nextAttemptAt) < Date.parse(until)) stored.nextAttemptAt = until;
      },
      this.transactOptions,
    );
  }

  private hasWork(core: CoreView, nowMs: number): boolean {
    const horizon = nowMs - this.retainSentMs;
    return core.outbox.some(
      (r) =>
        (r.state === 'pending' && Date.parse(r.nextAttemptAt) <= nowMs && !this.claimHolds(r, nowMs)) ||
        (r.state === 'sent' && r.sentAt !== null && Date.parse(r.sentAt) < horizon),
    );
  }

  /**
   * Pick due rows, in order, and mark them in flight for this dispatcher (Store.claimOutbox). A row
   * that was in flight before (for another dispatcher, which died or whose claim lapsed, or for a
   * flush of ours that stopped early) comes with `earlierAttemptUnknown`: that attempt may have
   * reached the peer.
   */
  private async claim(nowMs: number): Promise<Array<{ row: OutboxMessage; earlierAttemptUnknown: boolean }>> {
    const core = await this.store.read('core');
    // Keep the hot store small: what was delivered long ago is history (the audit log keeps it).
    const horizon = nowMs - this.retainSentMs;
    const old = core.outbox.filter((r) => r.state === 'sent' && r.sentAt && Date.parse(r.sentAt) < horizon).map((r) => r.id);
    if (old.length > 0) await this.store.transact('core', (tx) => old.forEach((id) => tx.delete('outbox', id)), this.transactOptions);
    // Claims that no longer hold though unlapsed: of dead processes here, and our own (left over,
    // as any claim of ours is when a flush starts; named whether or not this copy shows one).
    const deadClaimants = [...new Set([...core.outbox.filter((r) => r.state === 'pending' && r.claimedBy && this.deadHere(r)).map((r) => r.claimedBy!), this.owner])];
    const claimed = await this.store.claimOutbox({
      owner: this.owner,
      host: this.host,
      pid: process.pid,
      nowMs,
      claimTtlMs: this.claimTtlMs,
      limit: this.batchSize,
      deadClaimants,
      ...this.transactOptions,
    });
    // Claimed before (elsewhere, or by a flush of ours that stopped early): that attempt may have
    // reached the peer.
    const claimedBefore = new Set(core.outbox.filter((r) => r.state === 'pending' && r.claimedBy).map((r) => r.id));
    return claimed.map((row) => ({ row: structuredClone(row), earlierAttemptUnknown: claimedBefore.has(row.id) }));
  }

  private async deliver(row: OutboxMessage, earlierAttemptUnknown = false): Promise<DeliveryOutcome> {
    const base = { id: row.id, channel: row.channel, kind: row.kind, alertId: row.alertId };
    const sender = this.senders[row.channel];
    let result: SendResult | null = null;
    let failure: { message: string; transient: boolean; retryAfterMs?: number } | null = null;
    if (!sender) {
      failure = { message: channelProblem(this.config, row.channel) ?? `channel "${row.channel}" has no sender`, transient: false };
    } else {
      try {
        const alert = row.alertId ? await this.currentAlert(row.alertId) : null;
        result = await sender.send(row, { alert, config: this.config, nowMs: this.clock.now(), ...(earlierAttemptUnknown ? { earlierAttemptUnknown } : {}) });
      } catch (error) {
        const e = asDeliveryError(error);
        failure = { message: e.message, transient: e.transient, retryAfterMs: e.retryAfterMs };
      }
    }
    const at = this.clock.now();
    if (result) {
      const warning = result.warning ? sanitizeLine(redactSecrets(result.warning, this.secrets), 300) : null;
      await this.recordSent(row, result, at, warning);
      return { ...base, result: 'sent' };
    }
    const error = sanitizeLine(redactSecrets(failure!.message, this.secrets), 300);
    const delay = retryDelay(row.attempts, this.policy, failure!);
    const nextAttemptAt = delay === null ? null : new Date(at + delay).toISOString();
    await this.store.transact(
      'core',
      (tx) => {
        const found = tx.get('outbox', row.id);
        // Only while our claim holds: a row another dispatcher took over after our claim lapsed is
        // theirs to record.
        if (!found || found.state !== 'pending' || found.claimedBy !== this.owner) return;
        const stored = tx.edit('outbox', row.id);
        stored.lastError = error;
        stored.claimedBy = null;
        stored.claimedUntil = null;
        if (nextAttemptAt) stored.nextAttemptAt = nextAttemptAt;
        else stored.state = 'failed';
        if (!nextAttemptAt) tx.audit(this.auditEntry(row, 'notify-failed', at, error));
      },
      this.transactOptions,
    );
    return nextAttemptAt
      ? { ...base, result: 'retry', error, nextAttemptAt, ...(failure!.retryAfterMs !== undefined ? { rateLimited: true } : {}) }
      : { ...base, result: 'failed', error };
  }

  /** Deliveries and give-ups go to the audit log, so they outlive the pruned outbox rows. */
  private auditEntry(row: OutboxMessage, action: string, at: number, note?: string): AuditEntry {
    return {
      at: new Date(at).toISOString(),
      actor: 'imos',
      action,
      target: row.alertId ?? row.id,
      ...(note ? { note } : {}),
      detail: { row: row.id, channel: row.channel, kind: row.kind, attempts: row.attempts },
    };
  }

  private async currentAlert(id: string): Promise<Alert | null> {
    const core = await this.store.read('core');
    return core.alerts.find((a) => a.id === id) ?? null;
  }

  /**
   * Right after the send: the row is sent (even if our claim lapsed meanwhile: it did go out), with
   * its audit entry. Not fenced: a message that went out is recorded whoever holds the lease now.
   * Recorded once: a holder that lost the lease while its send was out finds the row already
   * recorded by its successor (which took the row over, found this very message at the peer, and
   * recorded it): a second audit entry would count one notice twice.
   */
  private async recordSent(row: OutboxMessage, result: SendResult, at: number, warning: string | null): Promise<void> {
    await this.store.transact('core', (tx) => {
      if (tx.get('outbox', row.id)?.state === 'sent') return;
      const stored = tx.get('outbox', row.id) ? tx.edit('outbox', row.id) : undefined;
      if (stored) {
        stored.state = 'sent';
        stored.sentAt = new Date(at).toISOString();
        stored.lastError = warning;
        stored.claimedBy = null;
        stored.claimedUntil = null;
      }
      if (row.alertId && tx.get('alerts', row.alertId) && (result.slack || row.kind !== 'test')) {
        const alert = tx.edit('alerts', row.alertId);
        if (result.slack) alert.slack = result.slack;
        const channel = result.slack ? 'slack' : row.channel;
        if (!alert.notified.includes(channel)) alert.notified.push(channel);
      }
      tx.audit(this.auditEntry(row, 'notify', at, warning ?? undefined));
    });
  }

  async close(): Promise<void> {
    for (let i = 0; i < 3 && (this.followUp || this.running); i++) await (this.followUp ?? this.running)!.catch(() => undefined);
  }
}

/**
 * Put a failed row back in the queue (`imos notify retry ID`), audited as done by `actor`. Returns
 * null for an unknown id; a row that is not failed is returned unchanged.
 */
export async function requeueMessage(store: Store, id: string, nowMs: number, actor = 'imos'): Promise<OutboxMessage | null> {
  return store.transact('core', (tx) => {
    const found = tx.get('outbox', id);
    if (!found) return null;
    if (found.state !== 'failed') return { ...found };
    const row = tx.edit('outbox', id);
    row.state = 'pending';
    row.attempts = 0;
    row.nextAttemptAt = new Date(nowMs).toISOString();
    row.claimedBy = null;
    row.claimedUntil = null;
    tx.audit({ at: new Date(nowMs).toISOString(), actor, action: 'notify-retry', target: id });
    return { ...row };
  });
}
