// A new outbox row: the one constructor for every message imos sends (alert notices, reports,
// `imos notify test`), so each starts the same way: pending, due now, never tried.
import type { OutboxMessage } from '../model.js';

export interface NewOutboxRow {
  id: string;
  channel: string;
  /** alert | escalation | severity | resolved | blocker | test | report … */
  kind: string;
  alertId?: string | null;
  /** Person ids or addresses; empty: the channel's default audience. */
  to?: readonly string[];
  subject: string;
  text: string;
  payload?: Record<string, unknown>;
}

export function outboxRow(input: NewOutboxRow, nowMs: number): OutboxMessage {
  const at = new Date(nowMs).toISOString();
  return {
    id: input.id,
    channel: input.channel,
    kind: input.kind,
    alertId: input.alertId ?? null,
    to: [...(input.to ?? [])],
    subject: input.subject,
    text: input.text,
    ...(input.payload ? { payload: input.payload } : {}),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    sentAt: null,
  };
}
