// What a notification says, independent of the channel: a title per kind, the alert's facts
// (severity, system, message, value, age, state), all sanitised. Channels lay these out.
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';
import { formatDuration } from '../text/durations.js';
import { formatValue } from '../text/values.js';
import { alertUrl } from '../dashboard-links.js';

const KIND_TITLES: Record<string, string> = {
  alert: 'Alert',
  severity: 'Severity changed',
  escalation: 'Escalated',
  resolved: 'Resolved',
  ack: 'Acknowledged',
  unack: 'Acknowledgement withdrawn',
  blocker: 'Blocker',
  test: 'Test message',
  report: 'Report',
};

export function kindTitle(kind: string): string {
  return KIND_TITLES[kind] ?? sanitizeLine(kind, 40);
}

export function personName(config: ImosConfig, id: string | null): string {
  if (!id) return 'someone';
  return sanitizeLine(config.people[id]?.name ?? id, 80);
}

/** One line on where the alert stands: open, acknowledged by whom, resolved when. */
export function stateLine(alert: Alert, config: ImosConfig): string {
  switch (alert.state) {
    case 'acknowledged':
      return `Acknowledged by ${personName(config, alert.acknowledgedBy)}${alert.acknowledgedAt ? ` at ${alert.acknowledgedAt}` : ''}${alert.ackNote ? ` — ${sanitizeLine(alert.ackNote, 120)}` : ''}`;
    case 'resolved':
      return `Resolved${alert.resolvedBy ? ` by ${personName(config, alert.resolvedBy)}` : ''}${alert.resolvedAt ? ` at ${alert.resolvedAt}` : ''}`;
    case 'snoozed':
      return `Snoozed${alert.snoozedUntil ? ` until ${alert.snoozedUntil}` : ''}`;
    default:
      return alert.escalationLevel > 0 ? `Open · escalation level ${alert.escalationLevel}` : 'Open';
  }
}

export interface AlertFacts {
  severity: string;
  system: string;
  systemName: string;
  check: string;
  message: string;
  value: string;
  age: string;
  state: string;
  /** The alert's page on the dashboard (`server.public_url`), or null when none is configured. */
  link: string | null;
}

export function alertFacts(alert: Alert, config: ImosConfig, nowMs: number): AlertFacts {
  return {
    severity: alert.severity,
    system: sanitizeLine(alert.system, 80),
    systemName: sanitizeLine(config.systems[alert.system]?.name ?? alert.system, 80),
    check: sanitizeLine(alert.checkId, 80),
    message: sanitizeLine(alert.message, 500),
    value: formatValue(alert.value, { empty: '—', round: false, max: 80 }),
    age: formatDuration(Math.max(0, nowMs - Date.parse(alert.openedAt)), 'spaced'),
    state: stateLine(alert, config),
    link: alertUrl(config, alert.id),
  };
}

/**
 * The headline, naming severity and system: the row's subject when it already names the system
 * (the alert module writes "[CRITICAL] hotel-common: …"), else "[CRITICAL] hotel-common — Escalated: …".
 */
export function headline(message: OutboxMessage, alert: Alert | null): string {
  const subject = sanitizeLine(message.subject || message.text, 200);
  if (!alert) return `[imos] ${kindTitle(message.kind)}: ${subject}`;
  const system = sanitizeLine(alert.system, 60);
  if (subject && subject.includes(system)) return subject.includes(alert.severity) ? subject : `[${alert.severity}] ${subject}`;
  return `[${alert.severity}] ${system} — ${kindTitle(message.kind)}: ${subject || sanitizeLine(alert.message, 160)}`;
}

/** The row's own text (the event: who escalated to whom), sanitised, newlines kept. */
export function bodyText(message: OutboxMessage): string {
  return sanitizeText(message.text).trim();
}

/** The people a row is for, as names (for email / text bodies). */
export function recipientNames(message: OutboxMessage, config: ImosConfig): string[] {
  return message.to.map((id) => personName(config, id));
}
