// A fixed store for the hotel project around the week of 2025-01-27 (Asia/Tokyo): alerts in every
// state, standups with a carried blocker, check history, completion snapshots and audit entries.
// The report golden tests and the `today` tests read it; `now` is Wed 2025-01-29 09:00 in Tokyo.
import { makeAlert } from '../helpers/alerts.js';
import type { Alert, AuditEntry, CheckResult, CheckState, HistoryPoint, CheckStatus, MetricValue } from '../../src/model.js';
import { CoreDraft } from '../../src/store/core-draft.js';
import { seedStore } from '../../src/store/testing/draft.js';
import type { Store } from '../../src/store/types.js';
import type { ImosConfig } from '../../src/config/types.js';
import { applyStandup } from '../../src/plan/standups.js';

export const FIXTURE_NOW = Date.parse('2025-01-29T00:00:00Z');

export function alert(over: Partial<Alert> & Pick<Alert, 'id' | 'checkId' | 'system' | 'type' | 'severity' | 'openedAt'>): Alert {
  return makeAlert(over);
}

const ALERTS: Alert[] = [
  alert({ id: 'A1', checkId: 'unified-db', system: 'hotel-common', type: 'SYSTEM_CONNECTION_FAILURE', severity: 'CRITICAL', openedAt: '2025-01-27T02:00:00.000Z', message: 'unified-db: connection refused', state: 'resolved', acknowledgedBy: 'manager', acknowledgedAt: '2025-01-27T02:10:00.000Z', resolvedAt: '2025-01-27T03:00:00.000Z', resolvedBy: 'imos' }),
  alert({ id: 'A2', checkId: 'order-events', system: 'hotel-saas', type: 'BACKLOG', severity: 'MEDIUM', openedAt: '2025-01-27T06:00:00.000Z', message: 'order-events: backlog 140 > 100', state: 'resolved', resolvedAt: '2025-01-27T09:00:00.000Z', resolvedBy: 'imos' }),
  alert({ id: 'A3', checkId: 'reservation-sync', system: 'hotel-pms', type: 'SYNC_LAG', severity: 'HIGH', openedAt: '2025-01-28T05:00:00.000Z', message: 'reservation-sync: lag 7.2s > 5s' }),
  alert({ id: 'A4', checkId: 'member-api', system: 'hotel-member', type: 'SLOW', severity: 'MEDIUM', openedAt: '2025-01-28T10:00:00.000Z', message: 'member-api: latency 820ms', state: 'acknowledged', acknowledgedBy: 'suno', acknowledgedAt: '2025-01-28T11:00:00.000Z' }),
  alert({ id: 'A5', checkId: 'saas-typescript', system: 'hotel-saas', type: 'TYPESCRIPT_ERRORS', severity: 'CRITICAL', openedAt: '2025-01-28T20:00:00.000Z', message: 'saas-typescript: 162 errors > 150', escalationLevel: 1 }),
];

function point(at: string, status: CheckStatus, value: MetricValue): HistoryPoint {
  return { at, status, value, durationMs: 12 };
}

function state(id: string, system: string, kind: string, history: HistoryPoint[]): CheckState {
  const last = history[history.length - 1]!;
  // The metric the gates read, as each kind reports its headline value.
  const metric = ({ postgres: 'latency', 'sync-lag': 'lag', typescript: 'errors', http: 'latency' } as Record<string, string>)[kind]!;
  const result: CheckResult = { id, system, kind, status: last.status, runStatus: last.status, value: last.value, metrics: { [metric]: last.value }, message: `${id}: ${String(last.value)}`, durationMs: 12, at: last.at };
  return { last: result, history, failures: 0, successes: 1, status: last.status, since: last.at };
}

const RESULTS: Record<string, CheckState> = {
  'unified-db': state('unified-db', 'hotel-common', 'postgres', [
    point('2025-01-27T01:50:00.000Z', 'ok', 4),
    point('2025-01-27T02:00:00.000Z', 'CRITICAL', null),
    point('2025-01-27T02:30:00.000Z', 'CRITICAL', null),
    point('2025-01-27T03:00:00.000Z', 'ok', 5),
    point('2025-01-28T00:00:00.000Z', 'ok', 4),
    point('2025-01-28T12:00:00.000Z', 'ok', 6),
  ]),
  'reservation-sync': state('reservation-sync', 'hotel-pms', 'sync-lag', [
    point('2025-01-28T04:00:00.000Z', 'ok', 2),
    point('2025-01-28T05:00:00.000Z', 'HIGH', 7.2),
    point('2025-01-28T20:00:00.000Z', 'HIGH', 8.1),
  ]),
  'saas-typescript': state('saas-typescript', 'hotel-saas', 'typescript', [
    point('2025-01-27T00:00:00.000Z', 'HIGH', 140),
    point('2025-01-28T20:00:00.000Z', 'CRITICAL', 162),
  ]),
  'member-api': state('member-api', 'hotel-member', 'http', [
    point('2025-01-28T10:00:00.000Z', 'MEDIUM', 820),
    point('2025-01-28T12:00:00.000Z', 'ok', 120),
  ]),
};

const AUDIT: AuditEntry[] = [
  { at: '2025-01-27T02:00:00.000Z', actor: 'imos', action: 'open', target: 'A1' },
  { at: '2025-01-27T02:10:00.000Z', actor: 'manager', action: 'ack', target: 'A1' },
  { at: '2025-01-27T03:00:00.000Z', actor: 'imos', action: 'auto-resolve', target: 'A1' },
  { at: '2025-01-28T03:00:00.000Z', actor: 'luna', action: 'matrix-set', target: 'reservations', detail: { kind: 'item', from: 'in-progress', to: 'done' } },
  { at: '2025-01-28T05:00:00.000Z', actor: 'imos', action: 'open', target: 'A3' },
  {
    at: '2025-01-28T05:21:04.000Z',
    actor: 'luna',
    action: 'action-run',
    target: 'A3',
    note: 'exit 0 after 1m4s',
    detail: {
      playbook: 'sync-recovery',
      action: 'recover',
      command: ['./scripts/recover-sync.sh', 'pms'],
      args: { source: 'pms' },
      rule: 'allow: leader',
      runId: 'r-1',
      startedAt: '2025-01-28T05:20:00.000Z',
      outcome: 'succeeded',
      exitCode: 0,
      signal: null,
      durationMs: 64_000,
      output: 'UPDATE 1\nsync_state: pms caught up',
      truncated: false,
    },
  },
  { at: '2025-01-28T11:00:00.000Z', actor: 'suno', action: 'ack', target: 'A4' },
  { at: '2025-01-28T20:00:00.000Z', actor: 'imos', action: 'open', target: 'A5' },
  { at: '2025-01-28T20:30:00.000Z', actor: 'imos', action: 'escalate', target: 'A5', detail: { level: 1, to: ['manager'] } },
];

/** Fill the store with the fixture. */
export async function loadFixture(store: Store, config: ImosConfig): Promise<void> {
  await store.transact('core', (tx) => {
    const core = new CoreDraft(tx);
    for (const alert of structuredClone(ALERTS)) core.addAlert(alert);
    core.setKv('nextAlertNumber', 6);
    for (const snapshot of [
      { at: '2025-01-24T09:00:00.000Z', tablesDone: 9, tablesTotal: 13, systemsDone: 0, systemsTotal: 4, tasksDone: 1, tasksTotal: 12 },
      { at: '2025-01-27T09:00:00.000Z', tablesDone: 10, tablesTotal: 13, systemsDone: 1, systemsTotal: 4, tasksDone: 2, tasksTotal: 12 },
      { at: '2025-01-28T03:00:00.000Z', tablesDone: 11, tablesTotal: 13, systemsDone: 1, systemsTotal: 4, tasksDone: 2, tasksTotal: 12 },
    ]) {
      core.addSnapshot(snapshot);
    }
    // Tuesday (Tokyo): three of four systems report; hotel-pms waits on the unified platform.
    applyStandup(core, { system: 'hotel-common', done: '統一DBのバックアップ設定', next: 'PMS 用の資格情報を発行' }, 'manager', Date.parse('2025-01-28T00:40:00Z'), config);
    applyStandup(core, { system: 'hotel-pms', done: 'rooms, room_types migrated', next: 'reservation sync', blockers: [{ text: 'DB credentials for PMS', waitsOn: 'system:hotel-common' }] }, 'luna', Date.parse('2025-01-28T00:50:00Z'), config);
    applyStandup(core, { system: 'hotel-saas', done: 'service_orders draft', next: 'order_items', blockers: [{ text: 'Spec for order states unclear' }] }, 'sun', Date.parse('2025-01-28T00:55:00Z'), config);
    applyStandup(core, { system: 'hotel-saas', done: 'service_orders draft reviewed', next: 'order_items migration', blockers: [] }, 'sun', Date.parse('2025-01-28T02:00:00Z'), config);
  });
  // The last poll is the newest result: 2025-01-28T20:00.
  await seedStore(store, {
    checks: Object.entries(RESULTS).map(([id, { history: _history, ...state }]) => ({ id, ...structuredClone(state) })),
    history: Object.fromEntries(Object.entries(RESULTS).map(([id, state]) => [id, structuredClone(state.history)])),
    // The standups' own audit entries are not needed by the reports; the alert and matrix ones are.
    audit: AUDIT,
  });
}
