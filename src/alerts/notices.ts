// Outbox rows for alert events. They are committed in the same transaction as the alert change
// (so a change is never told twice or lost); src/notify sends them. The row carries a summary of
// the alert in `payload` so a sender needs nothing else, and `alertId` to find `alert.slack`.
import type { Alert, OutboxMessage } from '../model.js';
import type { CoreDraft } from '../store/core-draft.js';
import { alertJson } from '../alert-json.js';
import { outboxRow } from '../notify/outbox.js';
import { formatDuration } from '../text/durations.js';
import { formatValue } from '../text/values.js';
import type { ImosConfig, PlaybookConfig } from '../config/types.js';
import { playbookNoticeText, playbookPayload } from '../playbooks/present.js';

/** Kinds of rows this module writes. `ack` and `resolved` on slack update the alert's message. */
export type NoticeKind = 'alert' | 'severity' | 'escalation' | 'resolved' | 'ack' | 'unack';

export interface NoticeEvent {
  kind: NoticeKind;
  /** Channels to write a row for (already filtered: no console, only configured ones). */
  channels: string[];
  /** Person ids the message is for. */
  to: string[];
  nowMs: number;
  /** Who acted (ack / resolve by hand), and their note. */
  actor?: string;
  note?: string | null;
  /** Severity change: the old severity. */
  from?: string;
  /** Escalation: the level reached (1-based) and why (e.g. ack timeout). */
  level?: number;
  reason?: string;
  /** The alert has a playbook: its runbook and actions go with the first notice and each escalation. */
  playbook?: { config: ImosConfig; playbook: PlaybookConfig };
}

const COUNTER_KEY = 'alerts';

interface AlertsCounter {
  outboxSeq: number;
}

/** A short, unique row id: a per-store counter kept under `alerts` in the store's named values. */
function nextRowId(core: CoreDraft, alert: Alert, kind: string, channel: string): string {
  const previous = core.kv<AlertsCounter>(COUNTER_KEY)?.outboxSeq;
  const outboxSeq = (Number.isFinite(previous) ? previous! : 0) + 1;
  core.setKv(COUNTER_KEY, { outboxSeq });
  return `${alert.id}-${kind}-${channel}-${outboxSeq}`;
}

/** " (value 503)" after a message, or nothing. */
const valueSuffix = (alert: Alert): string => (alert.value === null || alert.value === undefined ? '' : ` (value ${formatValue(alert.value, { round: false })})`);

function minutesSince(fromIso: string, nowMs: number): string {
  return formatDuration(nowMs - Date.parse(fromIso), 'words');
}

export function noticeSubject(alert: Alert, event: NoticeEvent): string {
  const head = `[${alert.severity}] ${alert.system}`;
  switch (event.kind) {
    case 'alert':
      return `${head}: ${alert.message}`;
    case 'severity':
      return `${head}: severity ${event.from ?? '?'} → ${alert.severity}: ${alert.message}`;
    case 'escalation':
      return `${head}: escalated (level ${event.level ?? alert.escalationLevel}): ${alert.message}`;
    case 'ack':
      return `${head}: acknowledged by ${event.actor ?? alert.acknowledgedBy ?? '?'}: ${alert.message}`;
    case 'unack':
      return `${head}: acknowledgement withdrawn by ${event.actor ?? '?'}: ${alert.message}`;
    case 'resolved':
      return `[RESOLVED] ${alert.system}: ${alert.message}`;
  }
}

export function noticeText(alert: Alert, event: NoticeEvent): string {
  const what = `${alert.id} ${alert.type} on ${alert.system} (check ${alert.checkId})`;
  const note = event.note ? ` — "${event.note}"` : '';
  switch (event.kind) {
    case 'alert': {
      const head = `${alert.severity}: ${what}: ${alert.message}${valueSuffix(alert)}`;
      const playbook = event.playbook;
      return playbook ? `${head}\n\n${playbookNoticeText(playbook.config, playbook.playbook, alert)}` : head;
    }
    case 'severity':
      return `Severity ${event.from ?? '?'} → ${alert.severity}: ${what}: ${alert.message}${valueSuffix(alert)}`;
    case 'escalation': {
      const why = event.reason ?? `not acknowledged for ${minutesSince(alert.openedAt, event.nowMs)}`;
      const head = `Escalated to level ${event.level ?? alert.escalationLevel} (${why}): ${alert.severity} ${what}: ${alert.message}`;
      return event.playbook ? `${head}\n\n${playbookNoticeText(event.playbook.config, event.playbook.playbook, alert)}` : head;
    }
    case 'ack':
      return `Acknowledged by ${event.actor ?? alert.acknowledgedBy ?? '?'}${note}: ${alert.severity} ${what}`;
    case 'unack':
      return `Acknowledgement withdrawn by ${event.actor ?? '?'}${note}: escalation resumes: ${alert.severity} ${what}`;
    case 'resolved': {
      const by = alert.resolvedBy && alert.resolvedBy !== 'imos' ? `by ${alert.resolvedBy}` : 'check recovered';
      return `Resolved (${by}) after ${minutesSince(alert.openedAt, event.nowMs)}${note}: ${alert.severity} ${what}`;
    }
  }
}

/** What a sender may need besides the text: the alert at the time of the event, and the event. */
export function noticePayload(alert: Alert, event: NoticeEvent): Record<string, unknown> {
  return {
    event: event.kind,
    // The alert as scripts see it (docs/CONTRACT.md), with what a message about it may also show.
    alert: { ...alertJson(alert), value: alert.value, count: alert.count, resolvedBy: alert.resolvedBy },
    ...(event.actor ? { actor: event.actor } : {}),
    ...(event.note ? { note: event.note } : {}),
    ...(event.from ? { from: event.from } : {}),
    ...(event.level !== undefined ? { level: event.level } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    ...(event.playbook ? { playbook: playbookPayload(event.playbook.config, event.playbook.playbook, alert.system) } : {}),
  };
}

/**
 * Append one pending row per channel. Channels told about the alert (alert, severity,
 * escalation) are remembered in `alert.notified` so the resolved notice reaches them too.
 */
export function queueNotice(core: CoreDraft, found: Alert, event: NoticeEvent): OutboxMessage[] {
  const alert = event.channels.length > 0 ? core.editAlert(found) : found;
  const rows: OutboxMessage[] = [];
  for (const channel of event.channels) {
    const row = outboxRow(
      {
        id: nextRowId(core, alert, event.kind, channel),
        channel,
        kind: event.kind,
        alertId: alert.id,
        to: event.to,
        subject: noticeSubject(alert, event),
        text: noticeText(alert, event),
        payload: noticePayload(alert, event),
      },
      event.nowMs,
    );
    core.addOutbox(row);
    rows.push(row);
    if ((event.kind === 'alert' || event.kind === 'severity' || event.kind === 'escalation') && !alert.notified.includes(channel)) {
      alert.notified.push(channel);
    }
  }
  return rows;
}
