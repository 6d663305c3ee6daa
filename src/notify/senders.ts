// Which senders exist for a configuration: a channel is usable when its settings are present
// (Slack: token and channel; email: smtp and from; webhook: url). `console` needs no delivery:
// the console shows alerts from the store, so its rows are simply marked sent.
import type { ImosConfig } from '../config/types.js';
import { EmailSender, type EmailSenderOptions } from './email.js';
import { SlackSender, type SlackSenderOptions } from './slack.js';
import { WebhookSender, type WebhookSenderOptions } from './webhook.js';
import type { ChannelSender, ChannelSenders } from './types.js';

export const CHANNEL_NAMES = ['slack', 'email', 'webhook', 'console'] as const;

export interface SenderOptions {
  slack?: SlackSenderOptions;
  email?: EmailSenderOptions;
  webhook?: WebhookSenderOptions;
}

export const consoleSender: ChannelSender = {
  channel: 'console',
  async send() {
    return { detail: 'shown in the console' };
  },
};

/** Why a channel cannot send, or null when it can. */
export function channelProblem(config: ImosConfig, channel: string): string | null {
  const c = config.channels;
  switch (channel) {
    case 'console':
      return null;
    case 'slack':
      if (!c.slack) return 'channels.slack is not configured';
      if (!c.slack.token) return 'channels.slack.token is empty (is SLACK_BOT_TOKEN set?)';
      if (!c.slack.channel) return 'channels.slack.channel is empty';
      return null;
    case 'email':
      if (!c.email) return 'channels.email is not configured';
      if (!c.email.smtp) return 'channels.email.smtp is empty (is SMTP_URL set?)';
      if (!c.email.from) return 'channels.email.from is empty';
      return null;
    case 'webhook':
      if (!c.webhook) return 'channels.webhook is not configured';
      if (!c.webhook.url) return 'channels.webhook.url is empty (is WEBHOOK_URL set?)';
      return null;
    default:
      return `unknown channel "${channel}" (one of ${CHANNEL_NAMES.join(', ')})`;
  }
}

/** One sender per usable channel. Rows for a missing channel are marked failed by the dispatcher. */
export function buildSenders(config: ImosConfig, options: SenderOptions = {}): ChannelSenders {
  const senders: ChannelSenders = { console: consoleSender };
  const { slack, email, webhook } = config.channels;
  if (slack && !channelProblem(config, 'slack')) senders.slack = new SlackSender({ ...slack, token: slack.token! }, options.slack);
  if (email && !channelProblem(config, 'email')) senders.email = new EmailSender({ ...email, smtp: email.smtp! }, options.email);
  if (webhook && !channelProblem(config, 'webhook')) senders.webhook = new WebhookSender({ ...webhook, url: webhook.url! }, options.webhook);
  return senders;
}

export async function closeSenders(senders: ChannelSenders): Promise<void> {
  for (const sender of Object.values(senders)) await sender.close?.();
}
