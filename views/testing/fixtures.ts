// The example hotel integration as a loaded config (test/helpers/config.ts), and store contents to draw.
import { makeAlert } from '../../test/helpers/alerts.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { Alert, CheckState, CheckStatus, CompletionSnapshot, OutboxMessage, Severity, Standup } from '../../src/model.js';
import type { CoreView, ResultsData } from '../../src/store/types.js';
import { emptyCoreView } from '../../src/store/views.js';

/** The core section as a test builds it: a view whose lists may be replaced, plus the next alert number. */
export interface TestCore extends CoreView {
  alerts: Alert[];
  outbox: OutboxMessage[];
  standups: Standup[];
  snapshots: CompletionSnapshot[];
  nextAlertNumber: number;
}

/** Check states by id, with their history, as a test builds them. */
export interface TestResults extends ResultsData {
  checks: Record<string, CheckState>;
}

export { hotelConfig } from '../../test/helpers/config.js';

/** Two gates over the fixture's checks: TypeScript (MEDIUM there: fails) and the event flow (ok: passes). */
export function hotelGates(): ImosConfig['gates'] {
  const passing = (check: string) => ({ label: check, checks: [check], that: [], conditions: {} });
  return [
    { id: 'code-quality', name: 'TypeScript errors 0', level: 'code', phase: 'Phase 1', severity: 'HIGH', requirements: [passing('saas-typescript')] },
    { id: 'events', name: 'order events flowing', level: 'business', severity: 'HIGH', requirements: [passing('order-events')] },
  ];
}

export const NOW = Date.parse('2025-01-29T01:00:00Z');
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

export function alert(id: string, severity: Severity, system: string, message: string, ageMs: number, extra: Partial<Alert> = {}): Alert {
  return makeAlert({
    id,
    fingerprint: `${system}:${id}`,
    checkId: 'unified-db',
    system,
    type: 'SYSTEM_CONNECTION_FAILURE',
    severity,
    message,
    openedAt: iso(-ageMs),
    lastSeenAt: iso(0),
    ...extra,
  });
}

export function checkState(id: string, system: string, kind: string, status: CheckStatus, value: number | string, message: string, detail?: unknown): CheckState {
  const history = Array.from({ length: 12 }, (_, i) => ({ at: iso(-(12 - i) * 30_000), status, value: typeof value === 'number' ? value + (i % 4) : value, durationMs: 20 + ((i * 7) % 30) }));
  return {
    last: { id, system, kind, status, runStatus: status, value, metrics: {}, message, detail, durationMs: 42, at: iso(-5_000) },
    history,
    failures: status === 'ok' ? 0 : 2,
    successes: status === 'ok' ? 3 : 0,
    status,
    since: iso(-600_000),
  };
}

export function hotelCore(): TestCore {
  const core: TestCore = { ...emptyCoreView(), alerts: [], outbox: [], standups: [], snapshots: [], nextAlertNumber: 5 };
  core.alerts = [
    alert('A1', 'HIGH', 'hotel-pms', 'reservation-sync: lag 12s > 5s', 3_600_000),
    alert('A2', 'CRITICAL', 'hotel-common', 'pending-migrations: 2 pending migrations', 1_200_000, { type: 'PENDING_MIGRATIONS', nextEscalationAt: iso(600_000) }),
    alert('A3', 'MEDIUM', 'hotel-saas', 'saas-typescript: 12 errors', 7_200_000, { state: 'acknowledged', acknowledgedBy: 'sun', acknowledgedAt: iso(-60_000) }),
    alert('A4', 'HIGH', 'hotel-member', 'member-api: \u001b[2Jstatus 503\u001b]0;pwned\u0007', 300_000),
  ];
  core.snapshots = [0, 1, 2, 3].map((i) => ({ at: iso(-(4 - i) * 86_400_000), tablesDone: 8 + i, tablesTotal: 13, systemsDone: 1, systemsTotal: 4, tasksDone: 3 + i, tasksTotal: 12 }));
  return core;
}

export function hotelResults(): TestResults {
  const r: TestResults = { checks: {}, lastPollAt: iso(-5_000) };
  r.checks = {
    'unified-db': checkState('unified-db', 'hotel-common', 'postgres', 'ok', 18, 'connected in 18 ms'),
    'pending-migrations': checkState('pending-migrations', 'hotel-common', 'migrations', 'CRITICAL', 2, '2 pending migrations', {
      pending: ['20250128_add_loyalty', '20250129_room_types'],
    }),
    'unified-tables': checkState('unified-tables', 'hotel-common', 'tables', 'HIGH', 2, '2 of 13 tables missing', { missing: ['public.loyalty_points', 'public.room_types'] }),
    'member-api': checkState('member-api', 'hotel-member', 'http', 'HIGH', 503, 'status 503'),
    'reservation-sync': checkState('reservation-sync', 'hotel-pms', 'sync-lag', 'HIGH', 12, 'lag 12 s'),
    'order-events': checkState('order-events', 'hotel-saas', 'event-flow', 'ok', 3, 'backlog 3'),
    'saas-typescript': checkState('saas-typescript', 'hotel-saas', 'typescript', 'MEDIUM', 12, '12 errors', {
      byFile: { 'src/orders.ts': 7, 'src/api/client.ts': 5 },
    }),
  };
  return r;
}
