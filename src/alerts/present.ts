// How alerts are listed for people: sorted by severity, then age (oldest first), as a table with
// flags; pure, shared by the CLI, the HTTP face and the console. What scripts see of an alert is
// src/alert-json.ts.
import { SEVERITIES, type Alert, type Severity } from '../model.js';
import { sanitizeLine } from '../text/sanitize.js';
import { formatDuration } from '../text/durations.js';

const severityOrder = (s: Severity) => SEVERITIES.indexOf(s);

/** Active alerts by severity (CRITICAL first), then age (oldest first); resolved ones last, newest first. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((a, b) => {
    const ra = a.state === 'resolved' ? 1 : 0;
    const rb = b.state === 'resolved' ? 1 : 0;
    if (ra !== rb) return ra - rb;
    if (ra === 1) return (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '') || b.id.localeCompare(a.id);
    return severityOrder(a.severity) - severityOrder(b.severity) || a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id, 'en', { numeric: true });
  });
}

/** What a person needs next to the state: who acked, snooze end, cause, maintenance, breach, level. */
export function alertFlags(alert: Alert, nowMs: number): string {
  const flags: string[] = [];
  if (alert.state === 'acknowledged' && alert.acknowledgedBy) flags.push(`ack ${alert.acknowledgedBy}`);
  if (alert.state === 'snoozed' && alert.snoozedUntil) flags.push(`until ${formatDuration(Math.max(0, Date.parse(alert.snoozedUntil) - nowMs))}`);
  if (alert.causedBy) flags.push(`caused by ${alert.causedBy}`);
  if (alert.suppressed) flags.push(alert.suppressed);
  if (alert.escalationLevel > 0) flags.push(`L${alert.escalationLevel}`);
  if (alert.state === 'open' && alert.nextEscalationAt) flags.push(`next ${formatDuration(Math.max(0, Date.parse(alert.nextEscalationAt) - nowMs))}`);
  if (alert.breached) flags.push('breached');
  return flags.join(', ');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

/** A plain-text table that fits `columns` (the message column takes what is left). */
export function alertTable(alerts: readonly Alert[], nowMs: number, columns = 100): string {
  if (alerts.length === 0) return 'No alerts.';
  const rows = sortAlerts(alerts).map((a) => ({
    id: sanitizeLine(a.id, 12),
    sev: a.severity,
    state: a.state,
    system: sanitizeLine(a.system, 24),
    type: sanitizeLine(a.type, 28),
    age: formatDuration(Math.max(0, (a.resolvedAt ? Date.parse(a.resolvedAt) : nowMs) - Date.parse(a.openedAt))),
    // Flags first: cut to the width, "caused by A3" matters more than the message's tail.
    what: sanitizeLine([alertFlags(a, nowMs), sanitizeLine(a.message, 300)].filter(Boolean).join(' · '), 400),
  }));
  const widths = {
    id: Math.max(2, ...rows.map((r) => r.id.length)),
    sev: 8,
    state: 12,
    system: Math.max(6, ...rows.map((r) => r.system.length)),
    type: Math.max(4, ...rows.map((r) => r.type.length)),
    age: Math.max(3, ...rows.map((r) => r.age.length)),
  };
  const fixed = Object.values(widths).reduce((s, w) => s + w + 2, 0);
  const whatWidth = Math.max(20, columns - fixed);
  const line = (r: Record<keyof typeof widths | 'what', string>) =>
    [pad(r.id, widths.id), pad(r.sev, widths.sev), pad(r.state, widths.state), pad(r.system, widths.system), pad(r.type, widths.type), pad(r.age, widths.age), r.what.length > whatWidth ? r.what.slice(0, whatWidth - 1) + '…' : r.what]
      .join('  ')
      .trimEnd();
  return [line({ id: 'ID', sev: 'SEVERITY', state: 'STATE', system: 'SYSTEM', type: 'TYPE', age: 'AGE', what: 'MESSAGE' }), ...rows.map(line)].join('\n');
}
