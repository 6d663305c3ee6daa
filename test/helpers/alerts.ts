// One way to make an Alert in tests: every field at its "just opened, nothing done yet" value,
// overridden by what the test cares about.
import type { Alert } from '../../src/model.js';
import { freshAlert } from '../../src/alerts/lifecycle.js';

export function makeAlert(over: Partial<Alert> = {}): Alert {
  const checkId = over.checkId ?? 'member-api';
  const type = over.type ?? 'SYSTEM_CONNECTION_FAILURE';
  const openedAt = over.openedAt ?? '2026-01-05T00:00:00.000Z';
  return {
    ...freshAlert({ id: 'A1', fingerprint: `${checkId}:${type}`, checkId, system: 'hotel-member', type, severity: 'CRITICAL', message: `${type} on ${checkId}`, value: null }, openedAt),
    ...over,
  };
}
