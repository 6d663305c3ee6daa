// What a notification says, independent of the channel: a title per kind, the alert's facts
// (severity, system, message, value, age, state), all sanitised. Channels lay these out.
import type { Alert, OutboxMessage } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { sanitizeLine, sanitizeText } from '../text/sanitize.js';

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

/** `42s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

export function formatValue(value: Alert['value']): string {
  if (value === null || value === undefined) return '—';
  return sanitizeLine(typeof value === 'string' ? value : JSON.stringify(value), 80);
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
}

export function alertFacts(alert: Alert, config: ImosConfig, nowMs: number): AlertFacts {
  return {
    severity: alert.severity,
    system: sanitizeLine(alert.system, 80),
    systemName: sanitizeLine(config.systems[alert.system]?.name ?? alert.system, 80),
    check: sanitizeLine(alert.checkId, 80),
    message: sanitizeLine(alert.message, 500),
    value: formatValue(alert.value),
    age: formatAge(nowMs - Date.parse(alert.openedAt)),
    state: stateLine(alert, config),
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
