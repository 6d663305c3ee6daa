// An alert as scripts see it (`imos alerts --json`, `imos status --json`, GET /api/alerts, the
// webhook body, the outbox payload): the one projection, documented in docs/CONTRACT.md.
import type { Alert, AlertState, Severity } from './model.js';
import { sanitizeLine } from './text/sanitize.js';

/** Exactly the fields docs/CONTRACT.md promises for an alert in `--json` output. */
export interface AlertJson {
  id: string;
  fingerprint: string;
  checkId: string;
  system: string;
  type: string;
  severity: Severity;
  state: AlertState;
  message: string;
  openedAt: string;
  lastSeenAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  escalationLevel: number;
  nextEscalationAt: string | null;
}

export function alertJson(alert: Alert): AlertJson {
  return {
    id: alert.id,
    fingerprint: alert.fingerprint,
    checkId: alert.checkId,
    system: alert.system,
    type: alert.type,
    severity: alert.severity,
    state: alert.state,
    message: sanitizeLine(alert.message, 500),
    openedAt: alert.openedAt,
    lastSeenAt: alert.lastSeenAt,
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgedAt: alert.acknowledgedAt,
    resolvedAt: alert.resolvedAt,
    escalationLevel: alert.escalationLevel,
    nextEscalationAt: alert.nextEscalationAt,
  };
}
