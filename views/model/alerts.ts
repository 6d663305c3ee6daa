// The alert center's rows: active alerts by severity then age, the escalation queue, the recent
// actions from the audit log. Pure (alerts + now → rows), sanitised for the terminal.
import type { Alert, AuditEntry, Severity } from '../../src/model.js';
import { sanitizeLine, sanitizeText } from '../../src/text/sanitize.js';
import { clockTime, compactDuration, dayIn, displayValue, msOf as ms } from './format.js';

export const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2 };

export interface AlertRow {
  id: string;
  severity: Severity;
  state: Alert['state'];
  system: string;
  type: string;
  message: string;
  ageMs: number;
  acknowledgedBy: string | null;
  /** Time to the next escalation (negative: overdue), null when none is due. */
  escalatesInMs: number | null;
  causedBy: string | null;
  snoozedUntil: string | null;
  /** Lower-cased text the filter matches against. */
  search: string;
}

/**
 * A2 before A10: alerts opened in the same poll are listed in the order they were opened. The
 * collator is made on the first tie: making one loads ICU's collation data (milliseconds), which
 * the console's first frame need not pay when it lists no two alerts of the same age.
 */
let collator: Intl.Collator | undefined;
const byIdNumeric = (a: string, b: string): number => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a, b);

/** Held alerts are shown but neither notified nor escalated (src/alerts/lifecycle.ts, isHeld). */
const held = (a: Alert): boolean => Boolean(a.causedBy) || Boolean(a.suppressed);

/** What an alert's row says that does not move with time, and the times its countdowns count to. */
interface FixedRow {
  row: Omit<AlertRow, 'ageMs' | 'escalatesInMs'>;
  openedMs: number;
  escalatesAtMs: number | null;
}

/**
 * Kept per stored alert: records are frozen, so a changed alert is a new object and gets new text.
 * The view model is rebuilt at every frame (its clock moves); sanitising and lower-casing the text
 * of 10,000 rows each time was most of the console's garbage, and its heap grew with it.
 */
const fixedRows = new WeakMap<Alert, FixedRow>();

function fixedRowOf(a: Alert): FixedRow {
  const known = fixedRows.get(a);
  if (known) return known;
  const message = sanitizeLine(a.message, 160);
  const system = sanitizeLine(a.system, 40);
  // A held alert (a symptom "caused by A4", or suppressed) never escalates, whatever it stores.
  const escalatesAtMs = a.state === 'open' && a.nextEscalationAt && !held(a) ? ms(a.nextEscalationAt) : null;
  const fixed: FixedRow = {
    row: {
      id: sanitizeLine(a.id, 12),
      severity: a.severity,
      state: a.state,
      system,
      type: sanitizeLine(a.type, 40),
      message,
      acknowledgedBy: a.acknowledgedBy ? sanitizeLine(a.acknowledgedBy, 40) : null,
      causedBy: a.causedBy ? sanitizeLine(a.causedBy, 12) : null,
      snoozedUntil: a.snoozedUntil,
      search: `${a.id} ${a.severity} ${system} ${a.type} ${message} ${a.state}`.toLowerCase(),
    },
    openedMs: ms(a.openedAt),
    escalatesAtMs: escalatesAtMs !== null && Number.isFinite(escalatesAtMs) ? escalatesAtMs : null,
  };
  if (Object.isFrozen(a)) fixedRows.set(a, fixed);
  return fixed;
}

/** Active (not resolved) alerts, sorted by severity, then oldest first. */
export function activeAlertRows(alerts: readonly Alert[], nowMs: number): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    const { row, openedMs, escalatesAtMs } = fixedRowOf(a);
    rows.push({ ...row, ageMs: nowMs - openedMs, escalatesInMs: escalatesAtMs === null ? null : escalatesAtMs - nowMs });
  }
  rows.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.ageMs - x.ageMs || byIdNumeric(x.id, y.id));
  return rows;
}

/** The columns the alert center can be sorted by; the first is the default. */
export const ALERT_SORTS = ['severity', 'age', 'system'] as const;

/**
 * The active alerts in another order: by severity (then oldest first, as activeAlertRows gives
 * them), by age (newest first) or by system (then severity); `reverse` turns it round.
 */
export function sortAlertRows(rows: readonly AlertRow[], by: string, reverse: boolean): readonly AlertRow[] {
  let sorted: AlertRow[];
  if (by === 'age') sorted = [...rows].sort((x, y) => x.ageMs - y.ageMs || byIdNumeric(x.id, y.id));
  else if (by === 'system') sorted = [...rows].sort((x, y) => x.system.localeCompare(y.system) || SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.ageMs - x.ageMs);
  else sorted = reverse ? [...rows] : (rows as AlertRow[]);
  return reverse ? sorted.reverse() : sorted;
}

export interface EscalationItem {
  id: string;
  severity: Severity;
  system: string;
  level: number;
  /** Countdown to the next escalation; negative when overdue. */
  inMs: number;
  /** What `/` matches in the queue (lower case). */
  search: string;
}

/** Unacknowledged alerts waiting to escalate, soonest first. */
export function escalationQueue(alerts: readonly Alert[], nowMs: number): EscalationItem[] {
  const out: EscalationItem[] = [];
  for (const a of alerts) {
    if (a.state !== 'open' || !a.nextEscalationAt || held(a)) continue;
    const at = ms(a.nextEscalationAt);
    if (!Number.isFinite(at)) continue;
    const id = sanitizeLine(a.id, 12);
    const system = sanitizeLine(a.system, 40);
    out.push({ id, severity: a.severity, system, level: a.escalationLevel, inMs: at - nowMs, search: `${id} ${a.severity} ${system}`.toLowerCase() });
  }
  return out.sort((x, y) => x.inMs - y.inMs);
}

export interface ActionRow {
  at: string;
  actor: string;
  action: string;
  target: string;
  note: string;
  /** What `/` matches in the recent actions (lower case). */
  search: string;
}

/** The audit log, newest first, sanitised. */
export function recentActions(audit: readonly AuditEntry[], limit = 50): ActionRow[] {
  const out: ActionRow[] = [];
  for (let i = audit.length - 1; i >= 0 && out.length < limit; i--) {
    const e = audit[i]!;
    if (e.action === 'archive') continue; // housekeeping, not something a person did
    const row = {
      at: e.at,
      actor: sanitizeLine(e.actor, 30),
      action: sanitizeLine(e.action, 20),
      target: sanitizeLine(e.target, 40),
      note: e.note ? sanitizeLine(e.note, 80) : '',
    };
    out.push({ ...row, search: `${row.actor} ${row.action} ${row.target} ${row.note}`.toLowerCase() });
  }
  return out;
}

export function findAlert(alerts: readonly Alert[], id: string): Alert | undefined {
  const wanted = id.trim().toUpperCase();
  return alerts.find((a) => a.id.toUpperCase() === wanted);
}

/** Where an active alert stands, in a few words: who acknowledged it, until when it sleeps, its root cause, its next escalation. */
export function alertStateText(a: AlertRow, timezone: string): string {
  if (a.state === 'acknowledged') return `ack ${a.acknowledgedBy ?? ''}`.trim();
  if (a.state === 'snoozed') return a.snoozedUntil ? `snoozed→${clockTime(Date.parse(a.snoozedUntil), timezone)}` : 'snoozed';
  if (a.causedBy) return `caused by ${a.causedBy}`;
  if (a.escalatesInMs !== null) return a.escalatesInMs <= 0 ? 'escalating' : `esc in ${compactDuration(a.escalatesInMs)}`;
  return 'open';
}

/**
 * One alert in full as label/value pairs (the console's detail view, the web page's alert page):
 * state, system and check, value, when it opened and was last seen, who acknowledged it, the
 * escalation, the response deadline, its root cause, why it is quiet, its resolution.
 */
export function alertDetailFields(a: Alert, nowMs: number, timezone: string): Array<[string, string]> {
  const when = (iso: string | null | undefined) => {
    if (!iso) return '–';
    const at = Date.parse(iso);
    const rel = at - nowMs;
    return `${dayIn(at, timezone)} ${clockTime(at, timezone)} (${rel <= 0 ? `${compactDuration(-rel)} ago` : `in ${compactDuration(rel)}`})`;
  };
  const fields: Array<[string, string]> = [
    ['state', a.state + (a.state === 'snoozed' && a.snoozedUntil ? ` until ${when(a.snoozedUntil)}` : '')],
    ['system', `${sanitizeLine(a.system, 40)} · check ${sanitizeLine(a.checkId, 40)} · ${sanitizeLine(a.type, 40)}`],
    ['value', `${displayValue(a.value)} · seen ${a.count}×`],
    ['opened', when(a.openedAt)],
    ['last seen', when(a.lastSeenAt)],
    ['acknowledged', a.acknowledgedBy ? `${sanitizeLine(a.acknowledgedBy, 40)} ${when(a.acknowledgedAt)}${a.ackNote ? ` “${sanitizeLine(a.ackNote, 2000)}”` : ''}` : '–'],
    ['escalation', `level ${a.escalationLevel}${a.nextEscalationAt && a.state === 'open' ? ` · next ${when(a.nextEscalationAt)}` : ''}`],
    // Once someone has responded (ack, snooze, resolve by hand) the deadline no longer runs.
    ['respond by', `${a.respondedAt ? `responded ${when(a.respondedAt)}` : when(a.respondBy)}${a.breached ? ' · BREACHED' : ''}`],
  ];
  if (a.causedBy) fields.push(['caused by', sanitizeLine(a.causedBy, 12)]);
  if (a.suppressed) fields.push(['suppressed', sanitizeLine(a.suppressed, 80)]);
  if (a.resolvedAt) fields.push(['resolved', `${sanitizeLine(a.resolvedBy ?? '', 40)} ${when(a.resolvedAt)}`]);
  return fields;
}

/** The alert's whole message on one line (wrapped by whoever draws it). */
export function alertDetailMessage(a: Alert): string {
  return sanitizeText(a.message).replace(/\s+/g, ' ').trim();
}
