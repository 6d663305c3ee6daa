// A failing quality gate is an alert at the gate's severity, through the alert lifecycle: opened
// once, kept to the latest evidence, notified by the severity policy, resolved when the gate passes.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../config/load.js';
import type { CheckResult, CheckStatus } from '../model.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import { processResults, processTime } from './index.js';
import { GATE_ALERT_TYPE } from './gates.js';

const yaml = `project: Gates
people: { manager: { name: Manager, email: m@example.com } }
systems:
  app: { name: App, leader: manager }
checks:
  - { id: app-ts, system: app, kind: typescript, thresholds: { MEDIUM: "errors > 0" } }
  - { id: api, system: app, kind: http, url: "http://127.0.0.1:1/health" }
gates:
  code:
    - id: types
      name: TypeScript errors 0
      severity: CRITICAL
      require: [{ kind: typescript, that: errors == 0 }]
  integration:
    - id: apis
      require: [{ kind: http }]
severities:
  CRITICAL: { respond_within: 0m, notify: [console, email] }
channels:
  email: { from: imos@example.com, smtp: "smtp://127.0.0.1:2525" }
`;
const config = loadConfigText(yaml, '/tmp/imos.yaml', { env: {} });

const T0 = Date.parse('2026-01-05T09:00:00Z');

function run(id: string, kind: string, status: CheckStatus, metrics: Record<string, number>, at: number): CheckResult {
  const value = Object.values(metrics)[0] ?? null;
  return { id, system: 'app', kind, status, runStatus: status, value, metrics, message: `${id}: ${value}`, durationMs: 5, at: new Date(at).toISOString() };
}

/** What the engine does: store the results, then hand them to the alerts. */
async function poll(store: Store, cfg: typeof config, results: CheckResult[], at: number) {
  await store.transact('results', (tx) => {
    for (const r of results) tx.put('checks', { id: r.id, last: r, failures: 0, successes: 1, status: r.status, since: r.at });
  });
  await processResults(store, cfg, results, at);
}

const gateAlerts = async (store: Store) => (await store.read('core')).alerts.filter((a) => a.type === GATE_ALERT_TYPE);

describe('quality gate alerts', () => {
  it('open at the gate severity while it fails, once, with the latest evidence, and resolve when it passes', async () => {
    const store = new MemoryStore();
    await poll(store, config, [run('app-ts', 'typescript', 'MEDIUM', { errors: 3 }, T0), run('api', 'http', 'ok', { status: 200 }, T0)], T0);
    let [alert, ...more] = await gateAlerts(store);
    expect(more).toEqual([]); // the API gate passes
    expect(alert).toMatchObject({
      checkId: 'gate:types',
      system: 'app',
      severity: 'CRITICAL',
      state: 'open',
      value: 3,
      message: 'code gate "TypeScript errors 0" fails: app-ts errors == 0 (was 3)',
    });
    // The check's own alert is MEDIUM; the gate's is CRITICAL and told by the CRITICAL policy.
    const outbox = (await store.read('core')).outbox.filter((m) => m.alertId === alert!.id);
    expect(outbox.map((m) => m.channel)).toEqual(['email']); // the console shows it without a message

    await poll(store, config, [run('app-ts', 'typescript', 'MEDIUM', { errors: 3 }, T0 + 60_000)], T0 + 60_000);
    await processTime(store, config, T0 + 61_000, { openBlockers: null, missingStandups: null });
    await poll(store, config, [run('app-ts', 'typescript', 'MEDIUM', { errors: 1 }, T0 + 120_000)], T0 + 120_000);
    [alert, ...more] = await gateAlerts(store);
    expect(more).toEqual([]); // one alert for the gate, however many runs fail it
    expect(alert).toMatchObject({ id: alert!.id, state: 'open', message: 'code gate "TypeScript errors 0" fails: app-ts errors == 0 (was 1)' });

    await poll(store, config, [run('app-ts', 'typescript', 'ok', { errors: 0 }, T0 + 180_000)], T0 + 180_000);
    [alert] = await gateAlerts(store);
    expect(alert).toMatchObject({ state: 'resolved', resolvedBy: 'imos', resolvedAt: new Date(T0 + 180_000).toISOString() });
    const audit = await store.readAudit();
    expect(audit.filter((e) => e.target === alert!.id).map((e) => e.action)).toEqual(['open', 'auto-resolve']);
  });

  it('open for an API gate when a check goes down, and are resolved as orphans once the gate is removed', async () => {
    const store = new MemoryStore();
    await poll(store, config, [run('app-ts', 'typescript', 'ok', { errors: 0 }, T0), run('api', 'http', 'CRITICAL', { status: 503 }, T0)], T0);
    const [alert] = await gateAlerts(store);
    expect(alert).toMatchObject({ checkId: 'gate:apis', severity: 'HIGH', message: 'integration gate "apis" fails: api CRITICAL: api: 503' });

    const without = { ...config, gates: config.gates.filter((g) => g.id !== 'apis') };
    await processTime(store, without, T0 + 1000, { openBlockers: null, missingStandups: null });
    expect((await gateAlerts(store))[0]).toMatchObject({ state: 'resolved' });
  });

  it('do nothing while a gate is not known yet', async () => {
    const store = new MemoryStore();
    await poll(store, config, [run('api', 'http', 'ok', { status: 200 }, T0)], T0);
    expect(await gateAlerts(store)).toEqual([]);
  });
});
