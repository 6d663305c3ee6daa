// Small, valid records for the store's tests, on the tests' shared builders.
import type { Alert, OutboxMessage } from '../../model.js';
import { makeAlert } from '../../../test/helpers/alerts.js';
import { makeRow } from '../../../test/helpers/notify-fixtures.js';

/** A valid open alert keyed `id` (its own check and fingerprint); fields can be overridden. */
export function alertRecord(id: string, overrides: Partial<Alert> = {}): Alert {
  return makeAlert({ id, fingerprint: `check-${id}:DOWN`, checkId: `check-${id}`, system: 'hotel-pms', type: 'DOWN', severity: 'HIGH', message: `alert ${id}`, value: null, ...overrides });
}

/** A valid pending outbox row keyed `id`, about no alert; fields can be overridden. */
export function outboxRecord(id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return makeRow({ id, alertId: null, to: ['ann'], subject: `row ${id}`, text: `row ${id}`, ...overrides });
}
