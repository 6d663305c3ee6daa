// One way to make an Alert in tests: every field at its "just opened, nothing done yet" value,
// overridden by what the test cares about.
import type { Alert } from '../../src/model.js';

export function makeAlert(over: Partial<Alert> = {}): Alert {
  const checkId = over.checkId ?? 'member-api';
  const type = over.type ?? 'SYSTEM_CONNECTION_FAILURE';
  const openedAt = over.openedAt ?? '2026-01-05T00:00:00.000Z';
  return {
    id: 'A1',
    fingerprint: `${checkId}:${type}`,
    checkId,
    system: 'hotel-member',
    type,
    severity: 'CRITICAL',
    state: 'open',
    message: `${type} on ${checkId}`,
    value: null,
    count: 1,
    openedAt,
    lastSeenAt: openedAt,
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
    causedBy: null,
    suppressed: null,
    notified: [],
    slack: null,
    ...over,
  };
}
