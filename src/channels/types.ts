// What a notification channel (Slack, email, webhook, console) is: one module per channel, listed
// in registry.ts, says everything imos needs to know about it (its settings in imos.yaml, the
// secrets among them, whether it can send, its sender, how `imos notify test` exercises it).
// A sender performs one delivery and either returns or throws a DeliveryError that says whether
// trying again later could help; the dispatcher (src/notify) owns retries, backoff and bookkeeping.
import type { z } from 'zod';
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig, Person } from '../config/types.js';

/** One notification channel. Adding one = a module exporting a Channel + one line in registry.ts. */
export interface Channel<S extends object = any, O = any> {
  /** Its name in imos.yaml (`channels.<name>`, `severities.*.notify`) and on the command line. */
  readonly name: string;
  /** One line for people (help texts, the README). */
  readonly description: string;
  /** Its settings under `channels.<name>`; null: it has none (the console). */
  readonly settings: z.ZodType<S> | null;
  /**
   * Whether its messages leave imos: such a channel can be tested (`imos notify test`) and can carry
   * reports (`imos report --post`). The console's cannot: it shows alerts from the store.
   */
  readonly delivers: boolean;
  /**
   * Whether a message can carry actions (buttons people press: Slack's Acknowledge). Such a message
   * shows the alert's state, so an acknowledgement (or its withdrawal) updates it.
   */
  readonly actions: boolean;
  /**
   * Whether it can reach this person directly (Slack: their user id; email: their address): the
   * people a playbook brings together are told through every channel that reaches them.
   */
  reaches?(person: Person): boolean;
  /** The secret values among its settings (tokens, passwords inside URLs), blanked out wherever text is shown. */
  secrets(settings: S): Array<string | null | undefined>;
  /** Why it cannot send with these settings (undefined: `channels.<name>` is absent), or null when it can. */
  problem(settings: S | undefined): string | null;
  /** Its sender, for settings without a problem. `options`: per-sender tuning (timeouts; tests). */
  sender(settings: S, options?: O): ChannelSender;
  /** What `imos notify test` does besides sending one sample message. */
  test?: ChannelTest<S>;
}

export interface ChannelTest<S> {
  /**
   * Recipients of the sample message when `--to` names none (empty: the channel's own default);
   * throws a CliError when there is nobody to send it to.
   */
  recipients?(settings: S, config: ImosConfig, actor: string): string[];
  /** A check printed before the sample is sent (Slack: that the token works). */
  verify?(sender: ChannelSender): Promise<string>;
}

/** What a channel's settings are, from its module. */
export type SettingsOf<C> = C extends { settings: z.ZodType<infer S> } ? S : never;

export interface SendContext {
  /** The alert as stored right before the send (current state, Slack message), if any. */
  alert: Alert | null;
  config: ImosConfig;
  nowMs: number;
  /**
   * An earlier attempt at this row stopped without recording its outcome (its process died, or
   * lost the poller lease, mid-send): the peer may have it already. A sender whose channel can
   * tell looks before sending again.
   */
  earlierAttemptUnknown?: boolean;
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
