// What a notification channel (Slack, email, webhook, console) looks like to the dispatcher.
// A sender performs one delivery and either returns or throws a DeliveryError that says whether
// trying again later could help; the dispatcher owns retries, backoff and bookkeeping.
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig } from '../config/types.js';

export interface SendContext {
  /** The alert as stored right before the send (current state, Slack message), if any. */
  alert: Alert | null;
  config: ImosConfig;
  nowMs: number;
}

export interface SendResult {
  /** Where a newly posted Slack message lives: stored on the alert for later updates. */
  slack?: { channel: string; ts: string };
  /** A short note for logs and `imos notify test` (message id, recipients). */
  detail?: string;
  /** Sent, but not wholly (a recipient refused): kept as the row's lastError, never dropped. */
  warning?: string;
}

export interface ChannelSender {
  readonly channel: string;
  send(message: OutboxMessage, ctx: SendContext): Promise<SendResult>;
  /** Release sockets / pools. */
  close?(): Promise<void> | void;
}

export type ChannelSenders = Record<string, ChannelSender>;

/**
 * A failed delivery. `transient`: a later attempt may succeed (5xx, timeouts, refused
 * connections, 429); otherwise the failure needs a human (bad token, unknown channel).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    /** The peer asked us to wait this long (429 Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Anything thrown by a sender, as a DeliveryError (unknown errors count as transient). */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(message, true);
}
