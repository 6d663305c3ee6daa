// Test fixtures for the alert engine: the hotel integration's config (test/helpers/config.ts), check
// results and an empty core section for the pure rules (src/store/memory-store.ts is the in-memory Store).
import type { CheckResult, CheckStatus } from '../../src/model.js';
import type { CoreDraft } from '../../src/store/core-draft.js';
import { draftCore } from '../../src/store/testing/draft.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.parse('2026-01-05T00:00:00Z'); // a Monday

export { checkConfig, hotelConfig } from '../helpers/config.js';

export function result(id: string, system: string, status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    system,
    kind: 'migrations',
    status,
    runStatus: status,
    value: status === 'ok' ? 0 : 3,
    metrics: {},
    message: status === 'ok' ? 'all applied' : '3 pending migrations',
    durationMs: 5,
    at: new Date(T0).toISOString(),
    alertType: 'PENDING_MIGRATIONS',
    ...extra,
  };
}

/** An empty core section to run the pure rules on (src/store/testing/draft.ts). */
export function emptyCore(): CoreDraft {
  return draftCore();
}
