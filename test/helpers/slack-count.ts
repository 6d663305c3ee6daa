// Counting notices at the loopback Slack server against the outbox: which were lost, which reached
// Slack twice, and what arrived that no outbox row accounts for.
import type { ImosConfig } from '../../src/config/types.js';
import type { OutboxMessage } from '../../src/model.js';
import { threadReplyText } from '../../src/channels/slack.js';
import type { SlackApi, SlackMessage } from './slack-api.js';

/** The outbox row a Slack message delivered, and which part of it (every message imos posts says). */
export function rowOf(message: SlackMessage): { row: string; part: string } | null {
  const payload = message.metadata?.event_type === 'imos_notice' ? message.metadata.event_payload : null;
  return payload ? { row: String(payload.row), part: String(payload.part) } : null;
}

/**
 * Every Slack row the store says was sent reached Slack exactly once, and nothing else did, counted
 * per outbox row id: one top-level message per alert told (posted by its first row), and for every
 * later row one thread reply in that alert's thread, with that row's text.
 */
export function compareSlackWithOutbox(slack: SlackApi, rows: OutboxMessage[], config: ImosConfig): { lost: string[]; duplicated: string[]; unexpected: string[] } {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  const sent = new Map(rows.filter((r) => r.channel === 'slack' && r.state === 'sent').map((r) => [r.id, r]));
  const posts = slack.topLevel();
  const postOf = new Map<string, SlackMessage[]>();
  for (const m of posts) {
    const row = sent.get(rowOf(m)?.row ?? '');
    if (!row || rowOf(m)!.part !== 'post') unexpected.push(`top-level ${m.ts}: ${m.text.slice(0, 80)}`);
    else postOf.set(row.alertId!, [...(postOf.get(row.alertId!) ?? []), m]);
  }
  for (const alertId of new Set([...sent.values()].map((r) => r.alertId!))) {
    const told = postOf.get(alertId) ?? [];
    if (told.length === 0) lost.push(`${alertId}: no message`);
    if (told.length > 1) duplicated.push(`${alertId}: ${told.length} top-level messages (rows ${told.map((m) => rowOf(m)!.row).join(', ')})`);
  }
  const replies = slack.messages.filter((m) => m.threadTs);
  for (const row of sent.values()) {
    if (row.kind === 'alert') continue;
    const found = replies.filter((m) => rowOf(m)?.row === row.id && rowOf(m)!.part === 'reply');
    if (found.length === 0) lost.push(`${row.id}: no thread reply`);
    if (found.length > 1) duplicated.push(`${row.id}: ${found.length} thread replies`);
    const thread = postOf.get(row.alertId!)?.[0]?.ts;
    for (const m of found) if (m.threadTs !== thread || m.text !== threadReplyText(row, config)) unexpected.push(`${row.id}: reply ${m.ts} in ${m.threadTs} reads ${m.text.slice(0, 80)}`);
  }
  for (const m of replies) if (!sent.has(rowOf(m)?.row ?? '')) unexpected.push(`reply ${m.ts} in ${m.threadTs}: ${m.text.slice(0, 80)}`);
  return { lost, duplicated, unexpected };
}
