// The alert lifecycle as pure functions over the core section as a transaction sees it (CoreDraft):
// check results and the passing of time go in; the alerts that change are edited through the draft,
// outbox rows are added, and the audit entries to record come back. What the store is handed is the
// change: those records and entries, nothing else. No I/O here.
import type { Alert, AuditEntry, CheckResult, CheckStatus, Severity } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { AlertKey, CoreDraft } from '../store/core-draft.js';
import { sanitizeLine } from '../text/sanitize.js';
import { channelsReaching } from '../channels/registry.js';
import { activeMaintenance } from './maintenance.js';
import { queueNotice, type NoticeEvent } from './notices.js';
import { coordinatedPeople, playbookFor } from '../playbooks/select.js';
import { formatDuration } from '../text/durations.js';
import { levelChannels, policyFor, resolveRecipients, responseTargetMs, sendableChannels, LEADER_ROLE } from './policy.js';

/** The actor recorded for what imos does by itself. */
export const SYSTEM_ACTOR = 'imos';
/** A check that could not run at all. */
export const CHECK_ERROR_TYPE = 'CHECK_ERROR';
/** A system is unreachable: the root cause for the alerts of systems that depend on it. */
export const CONNECTION_FAILURE_TYPE = 'SYSTEM_CONNECTION_FAILURE';
/** `error` (the check could not run) is treated as HIGH: someone must look, but it is not proven down. */
export const ERROR_SEVERITY: Severity = 'HIGH';

const iso = (ms: number) => new Date(ms).toISOString();

export function isActive(alert: Alert): boolean {
  return alert.state !== 'resolved';
}

/** The severity an alert gets for a status, or null when the status opens no alert. */
export function alertSeverityOf(status: CheckStatus): Severity | null {
  if (status === 'CRITICAL' || status === 'HIGH' || status === 'MEDIUM') return status;
  if (status === 'error') return ERROR_SEVERITY;
  return null;
}

/**
 * The severity of a result's alert. `error` is HIGH, but never above what the check itself is
 * configured to raise: a check whose worst threshold is MEDIUM does not page when it cannot run.
 */
export function resultSeverity(config: ImosConfig, result: CheckResult): Severity | null {
  const severity = alertSeverityOf(result.status);
  if (result.status !== 'error' || severity === null) return severity;
  const check = config.checks?.find((c) => c.id === result.id);
  if (!check) return severity;
  const configured: Severity[] = check.thresholds.map((t) => t.severity);
  if (check.expect.length > 0) configured.push(check.severity);
  return configured.length > 0 && configured.every((s) => s === 'MEDIUM') ? 'MEDIUM' : severity;
}

/**
 * The problem type of a failing result. A check that could not run is CHECK_ERROR, except a
 * connection check that could not connect, which stays a connection failure.
 */
export function alertTypeOf(result: CheckResult): string {
  const declared = result.alertType ? sanitizeLine(result.alertType, 60) : '';
  if (result.status === 'error') return declared === CONNECTION_FAILURE_TYPE ? declared : CHECK_ERROR_TYPE;
  return declared || `${result.kind.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_FAILURE`;
}

/** A just-opened alert: seen once, nothing acknowledged, resolved, escalated, held or told yet. */
export function freshAlert(
  fields: Pick<Alert, 'id' | 'fingerprint' | 'checkId' | 'system' | 'type' | 'severity' | 'message' | 'value'>,
  at: string,
): Alert {
  // The order of the stored record's keys, as every alert in the store has them.
  return {
    id: fields.id,
    fingerprint: fields.fingerprint,
    checkId: fields.checkId,
    system: fields.system,
    type: fields.type,
    severity: fields.severity,
    state: 'open',
    message: fields.message,
    value: fields.value,
    count: 1,
    openedAt: at,
    lastSeenAt: at,
    acknowledgedBy: null,
    acknowledgedAt: null,
    ackNote: null,
    resolvedAt: null,
    resolvedBy: null,
    snoozedUntil: null,
    escalationLevel: 0,
    nextEscalationAt: null,
    respondBy: null,
    breached: false,
    respondedAt: null,
    causedBy: null,
    suppressed: null,
    notified: [],
    slack: null,
  };
}

export function fingerprintOf(checkId: string, type: string): string {
  return `${checkId}:${type}`;
}

/** What the read-only rules need of the core section (a view, or a transaction's draft). */
export interface AlertsRead {
  readonly alerts: readonly Alert[];
  /** The alerts with this value of a field that never changes, from an index (a transaction's draft). */
  alertsWhere?(field: AlertKey, value: string): readonly Alert[];
}

/** The alerts whose `field` is `value`: from the reader's index when it keeps one. */
function alertsWhere(core: AlertsRead, field: AlertKey, value: string): readonly Alert[] {
  return core.alertsWhere ? core.alertsWhere(field, value) : core.alerts.filter((a) => a[field] === value);
}

export function findActiveByFingerprint(core: AlertsRead, fingerprint: string): Alert | undefined {
  return alertsWhere(core, 'fingerprint', fingerprint).find(isActive);
}

/**
 * The open connection failure this alert is a symptom of: on a system it depends on (directly or
 * through others), or on its own system for alerts that are not themselves the connection failure.
 */
export function rootCauseFor(core: AlertsRead, config: ImosConfig, alert: Pick<Alert, 'id' | 'system' | 'type'>): string | null {
  const down = new Map<string, Alert>();
  for (const a of alertsWhere(core, 'type', CONNECTION_FAILURE_TYPE)) {
    if (isActive(a) && a.id !== alert.id && !down.has(a.system)) down.set(a.system, a);
  }
  if (down.size === 0) return null;
  if (alert.type !== CONNECTION_FAILURE_TYPE) {
    const own = down.get(alert.system);
    if (own) return own.id;
  }
  // Breadth-first over depends_on; `seen` bounds it even when the config has a cycle.
  const seen = new Set<string>([alert.system]);
  let frontier = [alert.system];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const system of frontier) {
      for (const dep of config.systems?.[system]?.depends_on ?? []) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        const cause = down.get(dep);
        if (cause) return cause.id;
        next.push(dep);
      }
    }
    frontier = next;
  }
  return null;
}

/** Held alerts are shown but neither notified nor escalated. */
export function isHeld(alert: Alert): boolean {
  return alert.causedBy !== null || alert.suppressed !== null;
}

function audit(action: string, alert: Alert, nowMs: number, detail?: Record<string, unknown>, actor = SYSTEM_ACTOR, note?: string): AuditEntry {
  return { at: iso(nowMs), actor, action, target: alert.id, ...(note ? { note } : {}), ...(detail ? { detail } : {}) };
}

/** When the next escalation step falls due, counting from `fromMs`; null at the end of the chain. */
function nextStepAt(config: ImosConfig, alert: Alert, fromMs: number): string | null {
  const step = policyFor(config, alert.severity).escalate[alert.escalationLevel];
  return step ? iso(fromMs + step.afterMs) : null;
}

/** Deadline for a first human response, counted from `fromMs`. */
function respondByFrom(config: ImosConfig, severity: Severity, fromMs: number): string | null {
  const target = responseTargetMs(policyFor(config, severity));
  return target === null ? null : iso(fromMs + target);
}

/** People told so far: the system leader, then every level reached. */
function recipientsSoFar(config: ImosConfig, alert: Alert): string[] {
  const levels = policyFor(config, alert.severity).escalate;
  const to = [LEADER_ROLE, ...levels.slice(0, alert.escalationLevel).flatMap((l) => l.to)];
  return resolveRecipients(config, alert.system, to);
}

/**
 * The first notice: the severity's channels, addressed to the system leader; with a playbook, also
 * to the people it coordinates, through the channels that reach them (Slack id, email address).
 */
function notifyOpened(core: CoreDraft, config: ImosConfig, alert: Alert, nowMs: number): string[] {
  const to = resolveRecipients(config, alert.system, [LEADER_ROLE]);
  const wanted = [...policyFor(config, alert.severity).notify];
  const playbook = playbookFor(config, alert);
  if (playbook) {
    for (const id of coordinatedPeople(config, playbook, alert.system)) {
      if (!to.includes(id)) to.push(id);
      const person = config.people[id];
      if (person) wanted.push(...channelsReaching(person));
    }
  }
  const channels = sendableChannels(config, wanted);
  queueNotice(core, alert, { kind: 'alert', channels, to, nowMs, ...(playbook ? { playbook: { config, playbook } } : {}) });
  return channels;
}

export interface OpenAlertInput {
  checkId: string;
  system: string;
  type: string;
  severity: Severity;
  message: string;
  value: Alert['value'];
  /** Go up the chain at once instead of after the first step's delay (blockers). */
  escalateAtOnce?: boolean;
  /** A person's report (a blocker) is never a symptom nor silenced by maintenance. */
  neverHeld?: boolean;
}

/** Open a new alert, hold it (root cause / maintenance) or notify it, and say so in the audit. */
export function openAlert(core: CoreDraft, config: ImosConfig, input: OpenAlertInput, nowMs: number): { alert: Alert; audit: AuditEntry[] } {
  const id = core.nextAlertId();
  const alert = freshAlert(
    {
      id,
      fingerprint: fingerprintOf(input.checkId, input.type),
      checkId: input.checkId,
      system: input.system,
      type: input.type,
      severity: input.severity,
      message: sanitizeLine(input.message, 500),
      value: input.value,
    },
    iso(nowMs),
  );
  alert.respondBy = respondByFrom(config, input.severity, nowMs);
  alert.nextEscalationAt = input.escalateAtOnce ? iso(nowMs) : nextStepAt(config, alert, nowMs);
  if (!input.neverHeld) {
    alert.causedBy = rootCauseFor(core, config, alert);
    const window = activeMaintenance(config, alert.system, nowMs);
    alert.suppressed = window ? `maintenance: ${window}` : null;
  }
  core.addAlert(alert);
  const channels = isHeld(alert) ? [] : notifyOpened(core, config, alert, nowMs);
  const entry = audit('open', alert, nowMs, {
    fingerprint: alert.fingerprint,
    severity: alert.severity,
    ...(alert.causedBy ? { causedBy: alert.causedBy } : {}),
    ...(alert.suppressed ? { suppressed: alert.suppressed } : {}),
    channels,
  });
  return { alert, audit: [entry] };
}

/** Re-decide whether an alert is held (root cause, maintenance), on fresh evidence that it still fails. */
function updateHold(core: CoreDraft, config: ImosConfig, found: Alert, nowMs: number): AuditEntry[] {
  const alert = core.editAlert(found);
  const before = { causedBy: alert.causedBy, suppressed: alert.suppressed };
  alert.causedBy = rootCauseFor(core, config, alert);
  const window = activeMaintenance(config, alert.system, nowMs);
  alert.suppressed = window ? `maintenance: ${window}` : null;
  if (before.causedBy === alert.causedBy && before.suppressed === alert.suppressed) return [];
  if (isHeld(alert)) return [audit('hold', alert, nowMs, { causedBy: alert.causedBy, suppressed: alert.suppressed })];
  return [audit('release', alert, nowMs, { was: before })];
}

/**
 * A symptom whose root cause is gone, or an alert whose maintenance window ended, still fails: it
 * is told now (if nobody was told yet) and its escalation and response clocks start from now.
 */
function onRelease(core: CoreDraft, config: ImosConfig, found: Alert, nowMs: number): void {
  if (found.state === 'resolved') return;
  const alert = core.editAlert(found);
  if (alert.notified.length === 0 && alert.state !== 'snoozed') notifyOpened(core, config, alert, nowMs);
  if (alert.state === 'open') {
    alert.nextEscalationAt = nextStepAt(config, alert, nowMs);
    if (!alert.respondedAt && !alert.breached) alert.respondBy = respondByFrom(config, alert.severity, nowMs);
  }
}

/** Severity moved while the alert stays open: record it, re-plan deadlines, tell people. */
function changeSeverity(core: CoreDraft, config: ImosConfig, found: Alert, severity: Severity, nowMs: number): AuditEntry[] {
  const alert = core.editAlert(found);
  const from = alert.severity;
  alert.severity = severity;
  if (!alert.respondedAt && !alert.breached) alert.respondBy = respondByFrom(config, severity, Date.parse(alert.openedAt));
  // A shorter chain: the alert is at most at its end.
  alert.escalationLevel = Math.min(alert.escalationLevel, policyFor(config, severity).escalate.length);
  if (alert.state === 'open') alert.nextEscalationAt = nextStepAt(config, alert, nowMs);
  if (!isHeld(alert) && alert.state !== 'snoozed') {
    const wanted = sendableChannels(config, policyFor(config, severity).notify);
    const to = recipientsSoFar(config, alert);
    const told = alert.notified.filter((c) => sendableChannels(config, [c]).length > 0);
    // Channels already told get the change; channels new to this alert get a first message.
    queueNotice(core, alert, { kind: 'severity', channels: told, to, nowMs, from });
    // A first message, so it carries the playbook as the opening notice does.
    queueNotice(core, alert, { kind: 'alert', channels: wanted.filter((c) => !told.includes(c)), to, nowMs, ...withPlaybook(config, alert) });
  }
  return [audit('severity', alert, nowMs, { from, to: severity })];
}

export interface ResolveOptions {
  actor: string;
  note?: string | null;
  nowMs: number;
}

/** Resolve the alert and queue the resolved notice to every channel that was told. */
export function resolveInCore(core: CoreDraft, config: ImosConfig, found: Alert, options: ResolveOptions): AuditEntry {
  const alert = core.editAlert(found);
  const byHand = options.actor !== SYSTEM_ACTOR;
  alert.state = 'resolved';
  alert.resolvedAt = iso(options.nowMs);
  alert.resolvedBy = options.actor;
  alert.snoozedUntil = null;
  alert.nextEscalationAt = null;
  if (byHand && !alert.respondedAt) alert.respondedAt = alert.resolvedAt;
  const channels = sendableChannels(config, alert.notified);
  if (alert.slack && !channels.includes('slack')) channels.push('slack');
  queueNotice(core, alert, {
    kind: 'resolved',
    channels,
    to: recipientsSoFar(config, alert),
    nowMs: options.nowMs,
    actor: options.actor,
    note: options.note ?? null,
  });
  return audit(byHand ? 'resolve' : 'auto-resolve', alert, options.nowMs, { channels }, options.actor, options.note ?? undefined);
}

/** Root causes first, so that symptoms reported in the same batch find them. */
function rootCausesFirst(results: CheckResult[]): CheckResult[] {
  const isRoot = (r: CheckResult) => alertSeverityOf(r.status) !== null && alertTypeOf(r) === CONNECTION_FAILURE_TYPE;
  return [...results.filter(isRoot), ...results.filter((r) => !isRoot(r))];
}

/**
 * Apply a batch of check results (effective statuses, thresholds already applied by the engine).
 * Records the changes on `core`; returns the audit entries to store with them.
 */
export function applyResults(core: CoreDraft, results: CheckResult[], config: ImosConfig, nowMs: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const result of rootCausesFirst(results)) {
    if (result.status === 'pending') continue;
    const severity = resultSeverity(config, result);
    if (severity === null) {
      // Recovered: every open problem of this check is over.
      for (const alert of alertsWhere(core, 'checkId', result.id)) {
        if (isActive(alert)) entries.push(resolveInCore(core, config, alert, { actor: SYSTEM_ACTOR, nowMs }));
      }
      continue;
    }
    const type = alertTypeOf(result);
    const found = findActiveByFingerprint(core, fingerprintOf(result.id, type));
    if (!found) {
      entries.push(
        ...openAlert(core, config, { checkId: result.id, system: result.system, type, severity, message: result.message, value: result.value }, nowMs).audit,
      );
      continue;
    }
    const existing = core.editAlert(found);
    existing.count += 1;
    existing.lastSeenAt = iso(nowMs);
    existing.value = result.value;
    existing.message = sanitizeLine(result.message, 500);
    const wasHeld = isHeld(existing);
    entries.push(...updateHold(core, config, existing, nowMs));
    // Severity first: a release that is also a severity change tells people once, at the new severity.
    if (existing.severity !== severity) entries.push(...changeSeverity(core, config, existing, severity, nowMs));
    if (wasHeld && !isHeld(existing)) onRelease(core, config, existing, nowMs);
  }
  return entries;
}

/** The alert's playbook for a notice: people an escalation reaches may not have seen the first one. */
function withPlaybook(config: ImosConfig, alert: Alert): Pick<NoticeEvent, 'playbook'> {
  const playbook = playbookFor(config, alert);
  return playbook ? { playbook: { config, playbook } } : {};
}

/** Climb the chain while steps are due (several at once after a long outage, each told once). */
function escalateDue(core: CoreDraft, config: ImosConfig, found: Alert, nowMs: number, reason?: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const policy = policyFor(config, found.severity);
  let alert = found;
  for (let guard = 0; guard <= policy.escalate.length; guard++) {
    if (!alert.nextEscalationAt) break;
    const dueMs = Date.parse(alert.nextEscalationAt);
    if (!(dueMs <= nowMs)) break;
    alert = core.editAlert(alert);
    const step = policy.escalate[alert.escalationLevel];
    if (!step) {
      alert.nextEscalationAt = null;
      break;
    }
    alert.escalationLevel += 1;
    const to = resolveRecipients(config, alert.system, step.to);
    const channels = levelChannels(config, policy, step);
    queueNotice(core, alert, { kind: 'escalation', channels, to, nowMs, level: alert.escalationLevel, ...(reason ? { reason } : {}), ...withPlaybook(config, alert) });
    // Count the next step from when this one fell due, so a late poller keeps the schedule.
    alert.nextEscalationAt = nextStepAt(config, alert, dueMs);
    entries.push(audit('escalate', alert, nowMs, { level: alert.escalationLevel, to, channels, ...(reason ? { reason } : {}) }));
  }
  return entries;
}

/**
 * Apply the passing of time: snoozes that end, acknowledgements that time out, escalation steps
 * that fall due, response targets that pass. Records the changes on `core`; returns the audit entries.
 */
export function applyTime(core: CoreDraft, config: ImosConfig, nowMs: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const found of core.alerts) {
    if (!isActive(found) || !hasTimeWorkFor(found, config, nowMs)) continue;
    const alert = core.editAlert(found);
    const policy = policyFor(config, alert.severity);

    if (alert.state === 'snoozed' && alert.snoozedUntil && Date.parse(alert.snoozedUntil) <= nowMs) {
      alert.state = alert.acknowledgedAt ? 'acknowledged' : 'open';
      alert.snoozedUntil = null;
      // The silence is over: the current step's clock starts again rather than firing at once.
      if (alert.state === 'open') alert.nextEscalationAt = nextStepAt(config, alert, nowMs);
      entries.push(audit('snooze-end', alert, nowMs, { state: alert.state }));
    }

    let reason: string | undefined;
    if (alert.state === 'acknowledged' && policy.ackTimeoutMs !== undefined && alert.acknowledgedAt) {
      const expiresAt = Date.parse(alert.acknowledgedAt) + policy.ackTimeoutMs;
      if (expiresAt <= nowMs) {
        const by = alert.acknowledgedBy;
        alert.state = 'open';
        alert.acknowledgedBy = null;
        alert.acknowledgedAt = null;
        alert.ackNote = null;
        reason = `acknowledged by ${by ?? '?'} but not resolved within ${formatDuration(policy.ackTimeoutMs, 'words')}`;
        entries.push(audit('ack-timeout', alert, nowMs, { acknowledgedBy: by }));
        if (policy.escalate[alert.escalationLevel]) {
          alert.nextEscalationAt = iso(nowMs); // climb now: the acknowledgement went stale
        } else if (!isHeld(alert)) {
          // End of the chain: page its last level (or the first notice's people) again.
          const last = policy.escalate[policy.escalate.length - 1];
          const to = resolveRecipients(config, alert.system, last ? last.to : [LEADER_ROLE]);
          const channels = last ? levelChannels(config, policy, last) : sendableChannels(config, policy.notify);
          queueNotice(core, alert, { kind: 'escalation', channels, to, nowMs, level: alert.escalationLevel, reason, ...withPlaybook(config, alert) });
          alert.nextEscalationAt = null;
        }
      }
    }

    if (alert.state === 'open' && !isHeld(alert)) entries.push(...escalateDue(core, config, alert, nowMs, reason));

    if (!alert.breached && !alert.respondedAt && alert.respondBy && alert.state === 'open' && !isHeld(alert) && Date.parse(alert.respondBy) <= nowMs) {
      alert.breached = true;
      entries.push(audit('breach', alert, nowMs, { respondBy: alert.respondBy, severity: alert.severity }));
    }
  }
  return entries;
}

/** Alerts of checks that are no longer configured would never recover: resolve them (blockers aside). */
export function resolveOrphans(core: CoreDraft, config: ImosConfig, nowMs: number, exempt: (alert: Alert) => boolean): AuditEntry[] {
  const known = new Set((config.checks ?? []).map((c) => c.id));
  const entries: AuditEntry[] = [];
  for (const alert of core.alerts) {
    if (!isActive(alert) || known.has(alert.checkId) || exempt(alert)) continue;
    entries.push(resolveInCore(core, config, alert, { actor: SYSTEM_ACTOR, nowMs, note: `check ${alert.checkId} is no longer configured` }));
  }
  return entries;
}

/**
 * Would `applyTime` change anything now? Lets the poller skip the locked write on most ticks.
 * Kept next to `applyTime` so the two conditions cannot drift apart.
 */
export function hasTimeWork(core: AlertsRead, config: ImosConfig, nowMs: number): boolean {
  return core.alerts.some((alert) => isActive(alert) && hasTimeWorkFor(alert, config, nowMs));
}

/** Would `applyTime` change this alert now? Only such alerts are edited (and so stored). */
function hasTimeWorkFor(alert: Alert, config: ImosConfig, nowMs: number): boolean {
  const due = (t: string | null) => t !== null && Date.parse(t) <= nowMs;
  if (alert.state === 'snoozed' && due(alert.snoozedUntil)) return true;
  const ackTimeout = policyFor(config, alert.severity).ackTimeoutMs;
  if (alert.state === 'acknowledged' && ackTimeout !== undefined && alert.acknowledgedAt && Date.parse(alert.acknowledgedAt) + ackTimeout <= nowMs) return true;
  if (alert.state === 'open' && !isHeld(alert)) {
    if (due(alert.nextEscalationAt)) return true;
    if (!alert.breached && !alert.respondedAt && due(alert.respondBy)) return true;
  }
  return false;
}
