// What people do to an alert, as pure transitions on the core section: acknowledge, withdraw the
// acknowledgement, resolve by hand, snooze. Each validates, edits the alert through the draft,
// queues the notices, and returns the audit entry. `actions.ts` runs them in a store transaction.
import type { Alert, AuditEntry } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import { CoreDraft } from '../store/core-draft.js';
import type { AlertsRead } from './lifecycle.js';
import { sanitizeLine } from '../text/sanitize.js';
import { parseDuration } from '../text/durations.js';
import { queueNotice } from './notices.js';
import { policyFor, resolveRecipients, sendableChannels, LEADER_ROLE } from './policy.js';
import { resolveInCore } from './lifecycle.js';
import { localStamp, parseIsoInZone } from '../time/zoned.js';
import { getChannel } from '../channels/registry.js';

export class AlertActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertActionError';
  }
}

export type AlertAction = 'ack' | 'unack' | 'resolve' | 'snooze';

export interface TransitionInput {
  actor: string;
  note?: string | null;
  /** Snooze: a duration (`30m`, `2h`, `1h30m`, `1d`) or a time (ISO; without an offset, project time). */
  until?: string | number;
  nowMs: number;
}

export interface TransitionOutcome {
  alert: Alert;
  /** False when the action changed nothing (an ack of an acknowledged alert). */
  changed: boolean;
  /** One line for the user: what happened. */
  message: string;
  audit: AuditEntry[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const MAX_SNOOZE_MS = 30 * 24 * 3_600_000;

/** `A12`, `a12` and `12` all name alert A12. */
export function normaliseAlertId(id: string): string {
  const t = String(id ?? '').trim();
  return /^\d+$/.test(t) ? `A${t}` : t.toUpperCase();
}

export function findAlert(core: AlertsRead | CoreDraft, id: string): Alert {
  const wanted = normaliseAlertId(id);
  // By key first: ids are stored as A12, so the scan is only for odd spellings.
  const direct = wanted && core instanceof CoreDraft ? core.alert(wanted) : undefined;
  const alert = direct ?? (wanted ? core.alerts.find((a) => a.id.toUpperCase() === wanted) : undefined);
  if (!alert) throw new AlertActionError(`unknown alert '${sanitizeLine(id, 40)}'`);
  return alert;
}

/** When a snooze given as a duration or a time ends. Throws AlertActionError for a bad value. */
export function snoozeUntilMs(until: string | number | undefined, nowMs: number, timeZone: string): number {
  if (until === undefined || until === null || String(until).trim() === '') {
    throw new AlertActionError('snooze needs a duration (30m, 2h, 1d) or a time (2026-01-05T18:00)');
  }
  let end: number;
  if (typeof until === 'number') end = until;
  else {
    // As typed: `90s`, `30m`, `2h`, `1h 30m`, `1d`, `1w`; else a time.
    const duration = parseDuration(until, { typed: true });
    end = duration === null ? parseIsoInZone(until, timeZone) : nowMs + duration;
  }
  if (!Number.isFinite(end)) {
    throw new AlertActionError(`malformed duration '${sanitizeLine(until, 40)}': use e.g. 30m, 2h, 1h30m, 1d, or an ISO time`);
  }
  if (end <= nowMs) throw new AlertActionError(`snooze time ${iso(end)} is not in the future`);
  if (end - nowMs > MAX_SNOOZE_MS) throw new AlertActionError('a snooze may last at most 30 days');
  return end;
}

function cleanNote(note: string | null | undefined): string | null {
  const line = note === undefined || note === null ? '' : sanitizeLine(note, 500);
  return line === '' ? null : line;
}

function entry(action: string, alert: Alert, input: TransitionInput, note: string | null, detail?: Record<string, unknown>): AuditEntry {
  return {
    at: iso(input.nowMs),
    actor: input.actor,
    action,
    target: alert.id,
    ...(note ? { note } : {}),
    ...(detail ? { detail } : {}),
  };
}

/** A stored instant as people read it: wall-clock time in the project's timezone. */
function shown(at: string | null, config: ImosConfig): string {
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? localStamp(ms, config.timezone || 'UTC') : '?';
}

function refuseResolved(alert: Alert, what: string, config: ImosConfig): void {
  if (alert.state === 'resolved') {
    throw new AlertActionError(`cannot ${what} ${alert.id}: already resolved${alert.resolvedAt ? ` at ${shown(alert.resolvedAt, config)}` : ''}`);
  }
}

/**
 * Channels told about the alert whose message carries actions (Slack's Acknowledge button): that
 * message shows the alert's state, so an ack / unack updates it there. The others hear of the
 * resolution only.
 */
function actionChannelsTold(config: ImosConfig, alert: Alert): string[] {
  const told = alert.slack && !alert.notified.includes('slack') ? [...alert.notified, 'slack'] : alert.notified;
  return sendableChannels(config, told).filter((name) => getChannel(name)?.actions);
}

/** Ack / unack change what the alert's messages with actions show: queue their update (their sender edits them). */
function queueActionUpdate(core: CoreDraft, config: ImosConfig, alert: Alert, kind: 'ack' | 'unack', input: TransitionInput, note: string | null): void {
  const channels = actionChannelsTold(config, alert);
  if (channels.length === 0) return;
  queueNotice(core, alert, {
    kind,
    channels,
    to: resolveRecipients(config, alert.system, [LEADER_ROLE]),
    nowMs: input.nowMs,
    actor: input.actor,
    note,
  });
}

/** Restart the escalation clock of the current step (after an unack). */
function resumeEscalation(config: ImosConfig, alert: Alert, nowMs: number): void {
  const step = policyFor(config, alert.severity).escalate[alert.escalationLevel];
  alert.nextEscalationAt = step ? iso(nowMs + step.afterMs) : null;
}

export function acknowledgeInCore(core: CoreDraft, config: ImosConfig, found: Alert, input: TransitionInput): TransitionOutcome {
  refuseResolved(found, 'acknowledge', config);
  if (found.state === 'acknowledged') {
    const alert = found;
    return {
      alert,
      changed: false,
      message: `${alert.id} is already acknowledged by ${alert.acknowledgedBy ?? '?'} at ${shown(alert.acknowledgedAt, config)}`,
      audit: [],
    };
  }
  const note = cleanNote(input.note);
  const alert = core.editAlert(found);
  alert.state = 'acknowledged';
  alert.acknowledgedBy = input.actor;
  alert.acknowledgedAt = iso(input.nowMs);
  alert.ackNote = note;
  alert.snoozedUntil = null;
  alert.nextEscalationAt = null; // an acknowledgement stops the escalation
  if (!alert.respondedAt) alert.respondedAt = alert.acknowledgedAt;
  queueActionUpdate(core, config, alert, 'ack', input, note);
  return { alert, changed: true, message: `${alert.id} acknowledged by ${input.actor}`, audit: [entry('ack', alert, input, note)] };
}

export function unacknowledgeInCore(core: CoreDraft, config: ImosConfig, found: Alert, input: TransitionInput): TransitionOutcome {
  refuseResolved(found, 'unacknowledge', config);
  if (!found.acknowledgedAt) throw new AlertActionError(`cannot unacknowledge ${found.id}: it is not acknowledged`);
  const alert = core.editAlert(found);
  const was = alert.acknowledgedBy;
  alert.acknowledgedBy = null;
  alert.acknowledgedAt = null;
  alert.ackNote = null;
  if (alert.state === 'acknowledged') {
    alert.state = 'open';
    resumeEscalation(config, alert, input.nowMs);
  }
  const note = cleanNote(input.note);
  queueActionUpdate(core, config, alert, 'unack', input, note);
  return {
    alert,
    changed: true,
    message: `${alert.id} is no longer acknowledged (was ${was ?? '?'}); escalation resumes`,
    audit: [entry('unack', alert, input, note, { was })],
  };
}

export function resolveByHandInCore(core: CoreDraft, config: ImosConfig, found: Alert, input: TransitionInput): TransitionOutcome {
  refuseResolved(found, 'resolve', config);
  const note = cleanNote(input.note);
  const audit = resolveInCore(core, config, found, { actor: input.actor, note, nowMs: input.nowMs });
  const alert = core.editAlert(found);
  return { alert, changed: true, message: `${alert.id} resolved by ${input.actor}`, audit: [audit] };
}

export function snoozeInCore(core: CoreDraft, config: ImosConfig, found: Alert, input: TransitionInput): TransitionOutcome {
  refuseResolved(found, 'snooze', config);
  const end = snoozeUntilMs(input.until, input.nowMs, config.timezone || 'UTC');
  const note = cleanNote(input.note);
  const alert = core.editAlert(found);
  alert.state = 'snoozed';
  alert.snoozedUntil = iso(end);
  alert.nextEscalationAt = null; // no escalation while snoozed; the step's clock restarts at its end
  if (!alert.respondedAt) alert.respondedAt = iso(input.nowMs);
  return {
    alert,
    changed: true,
    message: `${alert.id} snoozed until ${shown(alert.snoozedUntil, config)}`,
    audit: [entry('snooze', alert, input, note, { until: alert.snoozedUntil })],
  };
}

export const TRANSITIONS: Record<AlertAction, (core: CoreDraft, config: ImosConfig, alert: Alert, input: TransitionInput) => TransitionOutcome> = {
  ack: acknowledgeInCore,
  unack: unacknowledgeInCore,
  resolve: resolveByHandInCore,
  snooze: snoozeInCore,
};
