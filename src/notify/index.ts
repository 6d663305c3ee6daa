// Notifications for the poller-lease holder: one call builds the senders of the channels the
// configuration sets up (src/channels) and the outbox dispatcher over them. The engine calls
// `flush()` on its tick.
import type { ImosConfig } from '../config/types.js';
import type { Fence, Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { buildSenders, closeSenders } from '../channels/registry.js';

export { configSecrets } from '../config/secrets.js';
export { Dispatcher, requeueMessage, type DispatcherOptions, type FlushReport, type DeliveryOutcome } from './dispatcher.js';
export { buildSenders, channelProblem, closeSenders, channelNames } from '../channels/registry.js';
export { DeliveryError, type ChannelSender, type ChannelSenders, type SendContext, type SendResult } from '../channels/types.js';

export interface Notifier {
  dispatcher: Dispatcher;
  /** Deliver the due outbox rows (only the lease holder calls this, with its fence). */
  flush(nowMs?: number, fence?: Fence): ReturnType<Dispatcher['flush']>;
  /** Wait for a running flush, then release SMTP sockets. */
  close(): Promise<void>;
}

export function createNotifier(
  store: Store,
  config: ImosConfig,
  clock: Clock,
  options: DispatcherOptions & { senders?: Record<string, unknown> } = {},
): Notifier {
  const senders = buildSenders(config, options.senders);
  const dispatcher = new Dispatcher(store, config, clock, senders, options);
  return {
    dispatcher,
    flush: (nowMs, fence) => dispatcher.flush(nowMs, fence),
    close: async () => {
      await dispatcher.close();
      await closeSenders(senders);
    },
  };
}
