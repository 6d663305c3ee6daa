// The registry of notification channels: the one place that knows every channel. The config
// schema, the secrets of a configuration, the dispatcher's senders, `imos notify test` and
// `imos report --post` all read it. Add a channel by writing its module (see types.ts: `Channel`)
// and listing it below.
import type { ImosConfig, Person } from '../config/types.js';
import type { Channel, ChannelSenders, SettingsOf } from './types.js';
import { slackChannel } from './slack.js';
import { emailChannel } from './email.js';
import { webhookChannel } from './webhook.js';
import { consoleChannel } from './console.js';

const CHANNELS = [
  slackChannel,
  emailChannel,
  webhookChannel,
  consoleChannel,
] as const;

/** `channels:` of a loaded configuration: each channel's settings under its name, when set. */
export type ChannelsConfig = { [C in (typeof CHANNELS)[number] as C['name']]?: SettingsOf<C> } & { [name: string]: unknown };

const byName = new Map<string, Channel>(CHANNELS.map((c) => [c.name, c as Channel]));
let revision = 0;

/**
 * Add a channel at run time (an embedding program, a test); returns what removes it again.
 * The config schema is rebuilt for it on its next use.
 */
export function registerChannel(channel: Channel): () => void {
  if (byName.has(channel.name)) throw new Error(`a channel named "${channel.name}" is already registered`);
  byName.set(channel.name, channel);
  revision++;
  return () => {
    if (byName.get(channel.name) === channel) {
      byName.delete(channel.name);
      revision++;
    }
  };
}

/** Changes whenever a channel is added or removed (schemas built from the registry are cached by it). */
export function channelRegistryRevision(): number {
  return revision;
}

export function getChannel(name: string): Channel | undefined {
  return byName.get(name);
}

/** Every channel, in the order they are listed (slack, email, webhook, console). */
export function allChannels(): Channel[] {
  return [...byName.values()];
}

export function channelNames(): string[] {
  return [...byName.keys()];
}

/** Channels whose messages leave imos: the ones `imos notify test` and `imos report --post` take. */
export function deliveringChannelNames(): string[] {
  return allChannels()
    .filter((c) => c.delivers)
    .map((c) => c.name);
}

/** The channels that reach this person directly (their Slack id, their email address), in order. */
export function channelsReaching(person: Person): string[] {
  return allChannels()
    .filter((c) => c.reaches?.(person) ?? false)
    .map((c) => c.name);
}

function settingsOf(config: ImosConfig, channel: Channel): object | undefined {
  const value = (config.channels as Record<string, unknown>)[channel.name];
  return value === null || value === undefined ? undefined : (value as object);
}

/** Why a channel cannot send, or null when it can. */
export function channelProblem(config: ImosConfig, name: string): string | null {
  const channel = byName.get(name);
  if (!channel) return `unknown channel "${name}" (one of ${channelNames().join(', ')})`;
  return channel.problem(settingsOf(config, channel));
}

/** The secret values among the channels' settings. */
export function channelSecrets(config: ImosConfig): string[] {
  const out: string[] = [];
  for (const channel of byName.values()) {
    const settings = settingsOf(config, channel);
    if (!settings || !channel.settings) continue;
    for (const value of channel.secrets(settings)) if (value) out.push(value);
  }
  return out;
}

/**
 * One sender per channel that can send (the console always can). Rows for a channel without a
 * sender are marked failed by the dispatcher. `options`: per channel, by name (timeouts; tests).
 */
export function buildSenders(config: ImosConfig, options: Record<string, unknown> = {}): ChannelSenders {
  const senders: ChannelSenders = {};
  for (const channel of byName.values()) {
    const settings = settingsOf(config, channel);
    if (channel.settings && !settings) continue;
    if (channel.problem(settings)) continue;
    senders[channel.name] = channel.sender(settings ?? {}, options[channel.name]);
  }
  return senders;
}

export async function closeSenders(senders: ChannelSenders): Promise<void> {
  for (const sender of Object.values(senders)) await sender.close?.();
}
