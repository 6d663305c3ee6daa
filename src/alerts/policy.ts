// The severity policy as the alert engine reads it: response targets, channels and escalation
// chains from the config, with the defaults (docs/CONTRACT.md) for any severity the config leaves out.
import type { Severity } from '../model.js';
import type { EscalationLevel, ImosConfig, SeverityPolicy } from '../config/types.js';
import { getChannel } from '../channels/registry.js';

import { DEFAULT_POLICIES } from '../config/severity-defaults.js';

/** The role that names the alert's system leader in an escalation level's `to`. */
export const LEADER_ROLE = 'leader';

export function policyFor(config: ImosConfig, severity: Severity): SeverityPolicy {
  return config.severities?.[severity] ?? DEFAULT_POLICIES[severity];
}

/**
 * The response target of a severity. `respond_within: 0m` means "immediately": the page goes out
 * at once, and the target to measure against is then the first escalation step (nobody answered
 * before the chain had to climb). Null when there is no target at all.
 */
export function responseTargetMs(policy: SeverityPolicy): number | null {
  if (policy.respondWithinMs > 0) return policy.respondWithinMs;
  const first = policy.escalate[0];
  return first ? first.afterMs : null;
}

/**
 * Channels that get outbox rows: of the given list, those whose messages leave imos (not the
 * console: it shows alerts from the store) and that are set up in the config.
 */
export function sendableChannels(config: ImosConfig, channels: readonly string[]): string[] {
  const configured = (config.channels ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const name of channels) {
    const channel = getChannel(name);
    if (!channel?.delivers || out.includes(name)) continue;
    if (channel.settings && (configured[name] === undefined || configured[name] === null)) continue;
    out.push(name);
  }
  return out;
}

/** Person ids for a level's `to`: `leader` becomes the system's leader; anything else stays as named. */
export function resolveRecipients(config: ImosConfig, system: string, to: readonly string[]): string[] {
  const out: string[] = [];
  for (const who of to) {
    const id = who === LEADER_ROLE ? config.systems?.[system]?.leader : who;
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Channels for one escalation level: its own list, else the severity's notify list. */
export function levelChannels(config: ImosConfig, policy: SeverityPolicy, level: EscalationLevel): string[] {
  return sendableChannels(config, level.channels ?? policy.notify);
}
