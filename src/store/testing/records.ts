// Small, valid records for store tests.
import type { Alert, OutboxMessage } from '../../model.js';

/** A valid open alert; fields can be overridden. */
export function alertRecord(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    fingerprint: `check-${id}:DOWN`,
    checkId: `check-${id}`,
    system: 'hotel-pms',
    type: 'DOWN',
    severity: 'HIGH',
    state: 'open',
    message: `alert ${id}`,
    value: null,
    count: 1,
    openedAt: '2026-01-05T00:00:00.000Z',
    lastSeenAt: '2026-01-05T00:00:00.000Z',
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
    ...overrides,
  };
}

/** A valid pending outbox row; fields can be overridden. */
export function outboxRecord(id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id,
    channel: 'slack',
    kind: 'alert',
    alertId: null,
    to: ['ann'],
    subject: `row ${id}`,
    text: `row ${id}`,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: '2026-01-05T00:00:00.000Z',
    lastError: null,
    createdAt: '2026-01-05T00:00:00.000Z',
    sentAt: null,
    ...overrides,
  };
}
