// The console: alerts are shown from the store by every open console, so there is nothing to send;
// its outbox rows (if a policy lists it explicitly) are simply marked sent.
import type { Channel, ChannelSender } from './types.js';

export const consoleSender: ChannelSender = {
  channel: 'console',
  async send() {
    return { detail: 'shown in the console' };
  },
};

export const consoleChannel = {
  name: 'console' as const,
  description: 'the alert list of every open console (always on)',
  settings: null,
  delivers: false,
  actions: true,
  secrets: () => [],
  problem: () => null,
  sender: () => consoleSender,
} satisfies Channel<object>;
