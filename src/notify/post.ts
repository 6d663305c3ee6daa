// A message that is not about an alert (a report, an announcement) goes through the same outbox
// as alert notices: written first, sent once, retried with backoff, visible when it fails.
import { randomBytes } from 'node:crypto';
import type { OutboxMessage } from '../model.js';
import type { Store } from '../store/types.js';
import { outboxRow } from './outbox.js';

export interface PostInput {
  channel: string;
  kind: string;
  subject: string;
  text: string;
  /** Person ids or addresses; empty: the channel's default audience. */
  to?: string[];
}

export async function enqueueMessage(store: Store, input: PostInput, nowMs: number): Promise<OutboxMessage> {
  const row = outboxRow({ ...input, id: `${input.kind}-${nowMs.toString(36)}-${randomBytes(3).toString('hex')}` }, nowMs);
  await store.transact('core', (tx) => void tx.put('outbox', row));
  return row;
}
