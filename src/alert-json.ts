// An alert as scripts see it (`imos alerts --json`, `imos status --json`, GET /api/alerts, the
// webhook body, the outbox payload): the one projection, documented in docs/CONTRACT.md.
import type { Alert } from './model.js';
import { sanitizeLine } from './text/sanitize.js';

/** Exactly the fields docs/CONTRACT.md promises for an alert in `--json` output, in that order. */
export const ALERT_JSON_FIELDS = [
  'id',
  'fingerprint',
  'checkId',
  'system',
  'type',
  'severity',
  'state',
  'message',
  'openedAt',
  'lastSeenAt',
  'acknowledgedBy',
  'acknowledgedAt',
  'resolvedAt',
  'escalationLevel',
  'nextEscalationAt',
] as const satisfies ReadonlyArray<keyof Alert>;

export type AlertJson = Pick<Alert, (typeof ALERT_JSON_FIELDS)[number]>;

export function alertJson(alert: Alert): AlertJson {
  const out = Object.fromEntries(ALERT_JSON_FIELDS.map((field) => [field, alert[field]])) as AlertJson;
  // The message comes from a monitored system: one line, no terminal controls.
  out.message = sanitizeLine(alert.message, 500);
  return out;
}
