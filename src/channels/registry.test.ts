// The channel registry is the one place that knows the channels: a channel registered here (a
// test-only pager) is accepted by the config schema, its secrets are redacted, alert notices and
// `imos report --post` reach it, and the dispatcher delivers through its sender — with no other
// file knowing its name.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfigText } from '../config/load.js';
import { configSecrets } from '../config/secrets.js';
import { configJsonSchema } from '../config/json-schema.js';
import { sendableChannels } from '../alerts/policy.js';
import { createNotifier } from '../notify/index.js';
import { enqueueMessage } from '../notify/post.js';
import { ManualClock } from '../time/clock.js';
import type { OutboxMessage } from '../model.js';
import { tempStore } from '../../test/helpers/notify-fixtures.js';
import { makeAlert } from '../../test/helpers/alerts.js';
import { acknowledgeInCore } from '../alerts/transitions.js';
import { draftCore } from '../store/testing/draft.js';
import { allChannels, channelNames, channelProblem, channelsReaching, deliveringChannelNames, getChannel, registerChannel } from './registry.js';
import { DeliveryError, type Channel, type SendContext } from './types.js';

const NOW = Date.parse('2026-01-05T09:00:00Z');

const pagerSettings = z.strictObject({ url: z.string().optional(), token: z.string().optional() });
type PagerSettings = z.output<typeof pagerSettings>;

/** A channel that keeps what it was given to send (and refuses when told to). */
function pagerChannel(sent: Array<{ message: OutboxMessage; ctx: SendContext; url: string }>): Channel<PagerSettings> {
  return {
    name: 'pager',
    description: 'a test pager',
    settings: pagerSettings,
    delivers: true,
    actions: false,
    secrets: (s) => [s.token],
    problem: (s) => (!s ? 'channels.pager is not configured' : !s.url ? 'channels.pager.url is empty' : null),
    sender: (s) => ({
      channel: 'pager',
      async send(message, ctx) {
        if (message.subject.includes('refuse')) throw new DeliveryError(`pager ${s.url} refused; token ${s.token}`, false);
        sent.push({ message, ctx, url: s.url! });
        return { detail: `paged ${s.url}` };
      },
    }),
  };
}

const YAML_TEXT = `
project: Hotel integration
people:
  manager: { name: Integration manager }
systems:
  hotel-common: { name: Unified platform, leader: manager }
severities:
  CRITICAL: { respond_within: 0m, notify: [pager, console] }
channels:
  pager:
    url: https://pager.example.test/hook
    token: \${PAGER_TOKEN}
`;

const unregister: Array<() => void> = [];
afterEach(() => {
  for (const undo of unregister.splice(0)) undo();
});

describe('channel registry', () => {
  it('lists slack, email, webhook and console, each a complete module', () => {
    expect(channelNames()).toEqual(['slack', 'email', 'webhook', 'console']);
    expect(deliveringChannelNames()).toEqual(['slack', 'email', 'webhook']);
    expect(allChannels().filter((c) => c.actions).map((c) => c.name)).toEqual(['slack', 'console']);
    for (const channel of allChannels()) {
      expect(channel.description).not.toBe('');
      // Absent settings: a channel that needs some says so, by its config path.
      if (channel.settings) expect(channel.problem(undefined)).toBe(`channels.${channel.name} is not configured`);
      else expect(channel.problem(undefined)).toBeNull();
    }
  });

  it('asks each channel whether it reaches a person: Slack by their user id, email by their address, a registered channel by its own rule', () => {
    expect(channelsReaching({ id: 'suno', name: 'Suno', slack: 'U01SUNO', email: 'suno@example.com' })).toEqual(['slack', 'email']);
    expect(channelsReaching({ id: 'owner', name: 'Owner', email: 'owner@example.com' })).toEqual(['email']);
    expect(channelsReaching({ id: 'luna', name: 'Luna' })).toEqual([]);
    unregister.push(registerChannel({ ...pagerChannel([]), reaches: (person) => person.id === 'luna' }));
    expect(channelsReaching({ id: 'luna', name: 'Luna' })).toEqual(['pager']);
  });

  it('a channel registered at run time is accepted by the schema, redacted, sent to and delivered by the dispatcher', async () => {
    const sent: Array<{ message: OutboxMessage; ctx: SendContext; url: string }> = [];
    unregister.push(registerChannel(pagerChannel(sent)));
    const config = loadConfigText(YAML_TEXT, '/tmp/imos-pager/imos.yaml', { env: { PAGER_TOKEN: 'pager-secret-31337' } });

    expect(config.channels.pager).toEqual({ url: 'https://pager.example.test/hook', token: 'pager-secret-31337' });
    expect(config.severities.CRITICAL.notify).toEqual(['pager', 'console']);
    expect(configSecrets(config)).toContain('pager-secret-31337');
    expect(channelProblem(config, 'pager')).toBeNull();
    expect(deliveringChannelNames()).toContain('pager');
    // Alert notices go to it (the console gets no rows: it reads the store).
    expect(sendableChannels(config, config.severities.CRITICAL.notify)).toEqual(['pager']);
    // `imos schema` describes it.
    const schema = configJsonSchema() as { properties: { channels: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties.channels.properties)).toEqual(['slack', 'email', 'webhook', 'pager']);

    const { store, cleanup } = await tempStore();
    const clock = new ManualClock(NOW);
    const notifier = createNotifier(store, config, clock);
    try {
      const ok = await enqueueMessage(store, { channel: 'pager', kind: 'report', subject: 'Daily report', text: 'all green' }, NOW);
      const refused = await enqueueMessage(store, { channel: 'pager', kind: 'report', subject: 'please refuse', text: '' }, NOW);
      const report = await notifier.flush(NOW);
      expect(report.sent).toBe(1);
      expect(report.failed).toBe(1);
      expect(sent.map((s) => [s.message.id, s.url, s.message.text])).toEqual([[ok.id, 'https://pager.example.test/hook', 'all green']]);
      const outbox = (await store.read('core')).outbox;
      expect(outbox.find((r) => r.id === ok.id)?.state).toBe('sent');
      const failed = outbox.find((r) => r.id === refused.id)!;
      expect(failed.state).toBe('failed');
      // Its token, named by the channel module, never reaches the store.
      expect(failed.lastError).toBe('pager https://pager.example.test/hook refused; token ***');
    } finally {
      await notifier.close();
      await cleanup();
    }
  });

  it('an acknowledgement updates the messages of the channels that carry actions, and only those', () => {
    unregister.push(registerChannel({ ...pagerChannel([]), actions: true }));
    unregister.push(registerChannel({ ...pagerChannel([]), name: 'beeper' }));
    const config = loadConfigText(
      `${YAML_TEXT}  beeper:\n    url: https://beeper.example.test/hook\n`,
      '/tmp/imos-pager/imos.yaml',
      { env: { PAGER_TOKEN: 'pager-secret-31337' } },
    );
    const alert = makeAlert({ notified: ['pager', 'beeper'] });
    const core = draftCore({ alerts: [alert] });
    acknowledgeInCore(core, config, alert, { actor: 'manager', nowMs: NOW });
    expect(core.outbox.map((row) => [row.kind, row.channel])).toEqual([['ack', 'pager']]);
  });

  it('a channel not registered is refused by name', () => {
    expect(getChannel('pager')).toBeUndefined();
    expect(() => loadConfigText(YAML_TEXT, '/tmp/imos-pager/imos.yaml', { env: { PAGER_TOKEN: 'x' } })).toThrow(
      [
        '/tmp/imos-pager/imos.yaml:8:44: severities.CRITICAL.notify[0]: Invalid option: expected one of "slack"|"email"|"webhook"|"console"',
        '/tmp/imos-pager/imos.yaml:11:5: channels.pager: unknown key "pager"',
      ].join('\n'),
    );
  });

  it('refuses a second channel of the same name', () => {
    expect(() => registerChannel({ ...getChannel('slack')! })).toThrow('a channel named "slack" is already registered');
  });
});
