// The alert center's rows: active alerts by severity then age, the escalation queue, the recent
// actions from the audit log. Pure (alerts + now → rows), sanitised for the terminal.
import type { Alert, AuditEntry, Severity } from '../../src/model.js';
import { sanitizeLine, sanitizeText } from '../../src/text/sanitize.js';
import { clockTime, compactDuration, dayIn, displayValue, msOf as ms } from './format.js';

export const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2 };

/**
 * What an active alert's row says. Nothing in it moves with time: ages and countdowns are worked
 * out where a row is drawn (`alertAgeMs`, `escalatesInMs`), for the rows on screen only, so the
 * rows of 10,000 alerts are built when the alerts change, not at every tick of the clock.
 */
export interface AlertRow {
  id: string;
  severity: Severity;
  state: Alert['state'];
  system: string;
  type: string;
  message: string;
  /** When it opened (epoch ms; NaN when the stored time is unreadable). */
  openedMs: number;
  acknowledgedBy: string | null;
  /** When it escalates next (epoch ms), null when no escalation is due. */
  escalatesAtMs: number | null;
  causedBy: string | null;
  snoozedUntil: string | null;
  /** Lower-cased text the filter matches against. */
  search: string;
}

/** How long the alert has been open at `nowMs`. */
export const alertAgeMs = (row: Pick<AlertRow, 'openedMs'>, nowMs: number): number => nowMs - row.openedMs;

/** Time to the alert's next escalation at `nowMs` (negative: overdue), null when none is due. */
export const escalatesInMs = (row: Pick<AlertRow, 'escalatesAtMs'>, nowMs: number): number | null => (row.escalatesAtMs === null ? null : row.escalatesAtMs - nowMs);

/**
 * A2 before A10: alerts opened in the same poll are listed in the order they were opened. The
 * collator is made on the first tie: making one loads ICU's collation data (milliseconds), which
 * the console's first frame need not pay when it lists no two alerts of the same age.
 */
let collator: Intl.Collator | undefined;
const byIdNumeric = (a: string, b: string): number => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a, b);

/** Held alerts are shown but neither notified nor escalated (src/alerts/lifecycle.ts, isHeld). */
const held = (a: Alert): boolean => Boolean(a.causedBy) || Boolean(a.suppressed);

/**
 * Kept per stored alert: records are frozen, so a changed alert is a new object and gets a new row.
 * Sanitising and lower-casing the text of 10,000 rows at every change was most of the console's
 * garbage; now a change costs the rows of the alerts it changed.
 */
const rowsByAlert = new WeakMap<Alert, AlertRow>();

function rowOf(a: Alert): AlertRow {
  const known = rowsByAlert.get(a);
  if (known) return known;
  const message = sanitizeLine(a.message, 160);
  const system = sanitizeLine(a.system, 40);
  // A held alert (a symptom "caused by A4", or suppressed) never escalates, whatever it stores.
  const escalatesAtMs = a.state === 'open' && a.nextEscalationAt && !held(a) ? ms(a.nextEscalationAt) : null;
  const row: AlertRow = {
    id: sanitizeLine(a.id, 12),
    severity: a.severity,
    state: a.state,
    system,
    type: sanitizeLine(a.type, 40),
    message,
    openedMs: ms(a.openedAt),
    acknowledgedBy: a.acknowledgedBy ? sanitizeLine(a.acknowledgedBy, 40) : null,
    escalatesAtMs: escalatesAtMs !== null && Number.isFinite(escalatesAtMs) ? escalatesAtMs : null,
    causedBy: a.causedBy ? sanitizeLine(a.causedBy, 12) : null,
    snoozedUntil: a.snoozedUntil,
    search: `${a.id} ${a.severity} ${system} ${a.type} ${message} ${a.state}`.toLowerCase(),
  };
  if (Object.isFrozen(a)) rowsByAlert.set(a, Object.freeze(row));
  return row;
}

/** Active (not resolved) alerts, sorted by severity, then oldest first. */
export function activeAlertRows(alerts: readonly Alert[]): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const a of alerts) if (a.state !== 'resolved') rows.push(rowOf(a));
  rows.sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || x.openedMs - y.openedMs || byIdNumeric(x.id, y.id));
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
  if (by === 'age') sorted = [...rows].sort((x, y) => y.openedMs - x.openedMs || byIdNumeric(x.id, y.id));
  else if (by === 'system') sorted = [...rows].sort((x, y) => x.system.localeCompare(y.system) || SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || x.openedMs - y.openedMs);
  else sorted = reverse ? [...rows] : (rows as AlertRow[]);
  return reverse ? sorted.reverse() : sorted;
}

export interface EscalationItem {
  id: string;
  severity: Severity;
  system: string;
  level: number;
  /** When it escalates (epoch ms): `escalationCountdownMs` says how far off that is. */
  atMs: number;
  /** What `/` matches in the queue (lower case). */
  search: string;
}

/** Countdown to the next escalation at `nowMs`; negative when overdue. */
export const escalationCountdownMs = (item: Pick<EscalationItem, 'atMs'>, nowMs: number): number => item.atMs - nowMs;

/** Unacknowledged alerts waiting to escalate, soonest first (built when the alerts change, not as time passes). */
export function escalationQueue(alerts: readonly Alert[]): EscalationItem[] {
  const out: EscalationItem[] = [];
  for (const a of alerts) {
    if (a.state !== 'open' || !a.nextEscalationAt || held(a)) continue;
    const at = ms(a.nextEscalationAt);
    if (!Number.isFinite(at)) continue;
    const id = sanitizeLine(a.id, 12);
    const system = sanitizeLine(a.system, 40);
    out.push({ id, severity: a.severity, system, level: a.escalationLevel, atMs: at, search: `${id} ${a.severity} ${system}`.toLowerCase() });
  }
  return out.sort((x, y) => x.atMs - y.atMs);
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
export function alertStateText(a: AlertRow, nowMs: number, timezone: string): string {
  if (a.state === 'acknowledged') return `ack ${a.acknowledgedBy ?? ''}`.trim();
  if (a.state === 'snoozed') return a.snoozedUntil ? `snoozed→${clockTime(Date.parse(a.snoozedUntil), timezone)}` : 'snoozed';
  if (a.causedBy) return `caused by ${a.causedBy}`;
  const inMs = escalatesInMs(a, nowMs);
  if (inMs !== null) return inMs <= 0 ? 'escalating' : `esc in ${compactDuration(inMs)}`;
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
