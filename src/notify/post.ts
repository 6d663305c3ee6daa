// A message that is not about an alert (a report, an announcement) goes through the same outbox
// as alert notices: written first, sent once, retried with backoff, visible when it fails.
import { randomBytes } from 'node:crypto';
import type { OutboxMessage } from '../model.js';
import type { Store } from '../store/types.js';

export interface PostInput {
  channel: string;
  kind: string;
  subject: string;
  text: string;
  /** Person ids or addresses; empty: the channel's default audience. */
  to?: string[];
}

export async function enqueueMessage(store: Store, input: PostInput, nowMs: number): Promise<OutboxMessage> {
  const at = new Date(nowMs).toISOString();
  const row: OutboxMessage = {
    id: `${input.kind}-${nowMs.toString(36)}-${randomBytes(3).toString('hex')}`,
    channel: input.channel,
    kind: input.kind,
    alertId: null,
    to: input.to ?? [],
    subject: input.subject,
    text: input.text,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    sentAt: null,
  };
  await store.update('core', (core) => {
    core.outbox.push(row);
  });
  return row;
}
