// The JSON shapes the outside world scripts against (DESIGN.md): alerts, checks, the overview.
// Shared by the HTTP face and the webhook body so that both speak the same fields.
import type { Alert, CheckState, LeaseHolder } from '../model.js';
import type { ImosConfig } from '../config/types.js';
import type { CoreData, LeaseData, ResultsData } from '../store/types.js';

export function alertJson(alert: Alert) {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    checkId: alert.checkId,
    system: alert.system,
    type: alert.type,
    severity: alert.severity,
    state: alert.state,
    message: alert.message,
    value: alert.value,
    openedAt: alert.openedAt,
    lastSeenAt: alert.lastSeenAt,
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgedAt: alert.acknowledgedAt,
    resolvedAt: alert.resolvedAt,
    escalationLevel: alert.escalationLevel,
    nextEscalationAt: alert.nextEscalationAt,
  };
}

export function checkJson(id: string, system: string, kind: string, state: CheckState | undefined) {
  const last = state?.last ?? null;
  return {
    id,
    system,
    kind,
    status: state?.status ?? 'pending',
    value: last?.value ?? null,
    metrics: last?.metrics ?? {},
    message: last?.message ?? '',
    durationMs: last?.durationMs ?? null,
    at: last?.at ?? null,
  };
}

export function pollerJson(holder: LeaseHolder | null) {
  return holder ? { pid: holder.pid, host: holder.host, user: holder.user, since: holder.since } : null;
}

export const isOpen = (alert: Alert) => alert.state !== 'resolved';

/** `GET /api/status`: project, systems with their checks, open alerts, the poller holder. */
export function statusJson(config: ImosConfig, core: CoreData, results: ResultsData, lease: LeaseData) {
  const checks = config.checks.map((c) => checkJson(c.id, c.system, c.kind, results.checks[c.id]));
  const openAlerts = core.alerts.filter(isOpen);
  const systems = Object.values(config.systems).map((s) => {
    const own = checks.filter((c) => c.system === s.id);
    return {
      id: s.id,
      name: s.name,
      leader: s.leader ?? null,
      dependsOn: s.depends_on,
      checks: own,
      openAlerts: openAlerts.filter((a) => a.system === s.id).length,
    };
  });
  const outbox = { pending: 0, sent: 0, failed: 0 };
  for (const row of core.outbox) outbox[row.state]++;
  return {
    project: config.project,
    lastPollAt: results.lastPollAt,
    paused: core.control.paused,
    poller: pollerJson(lease.holder),
    systems,
    alerts: openAlerts.map(alertJson),
    outbox,
  };
}
