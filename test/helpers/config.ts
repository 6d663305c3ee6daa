// The example hotel integration (data/example) as a loaded configuration: the one ImosConfig builder the tests of
// every folder use (alerts, notifications, the HTTP face, the console's views). A test changes what
// it is about with `overrides`, or by editing the fresh object it gets.
import type { CheckConfig, ImosConfig } from '../../src/config/types.js';
import { DEFAULT_POLICIES } from '../../src/config/severity-defaults.js';

export function checkConfig(id: string, system: string, over: Partial<CheckConfig> = {}): CheckConfig {
  return {
    id,
    system,
    kind: 'postgres',
    everyMs: 30_000,
    timeoutMs: 10_000,
    failureThreshold: 2,
    successThreshold: 1,
    thresholds: [],
    expect: [],
    severity: 'CRITICAL',
    options: {},
    ...over,
  };
}

export function hotelConfig(overrides: Partial<ImosConfig> = {}): ImosConfig {
  return {
    file: '/tmp/imos.yaml',
    baseDir: '/tmp',
    project: 'Hotel integration',
    timezone: 'Asia/Tokyo',
    people: {
      manager: { id: 'manager', name: 'Integration manager', slack: 'U01MANAGER', email: 'manager@example.com' },
      owner: { id: 'owner', name: 'Project owner', slack: 'U01OWNER', email: 'owner@example.com' },
      suno: { id: 'suno', name: 'Suno', slack: 'U01SUNO', email: 'suno@example.com' },
      luna: { id: 'luna', name: 'Luna' },
      sun: { id: 'sun', name: 'Sun' },
    },
    systems: {
      'hotel-common': { id: 'hotel-common', name: 'Unified platform', leader: 'manager', depends_on: [] },
      'hotel-member': { id: 'hotel-member', name: 'Members (FastAPI)', leader: 'suno', depends_on: ['hotel-common'] },
      'hotel-pms': { id: 'hotel-pms', name: 'PMS', leader: 'luna', depends_on: ['hotel-common'] },
      'hotel-saas': { id: 'hotel-saas', name: 'Orders SaaS', leader: 'sun', depends_on: ['hotel-pms'] },
    },
    checks: [
      checkConfig('unified-db', 'hotel-common'),
      checkConfig('pending-migrations', 'hotel-common', { kind: 'migrations' }),
      checkConfig('unified-tables', 'hotel-common', { kind: 'tables' }),
      checkConfig('member-api', 'hotel-member', { kind: 'http' }),
      checkConfig('reservation-sync', 'hotel-pms', { kind: 'sync-lag' }),
      checkConfig('order-events', 'hotel-saas', { kind: 'event-flow' }),
      checkConfig('saas-typescript', 'hotel-saas', { kind: 'typescript' }),
      checkConfig('saas-tests', 'hotel-saas', { kind: 'command' }),
    ],
    severities: structuredClone(DEFAULT_POLICIES),
    channels: { slack: { channel: '#alerts' }, email: { from: 'imos@example.com' }, webhook: { url: 'http://127.0.0.1:9/hook' } },
    maintenance: [],
    phases: [
      { name: 'Phase 1: unified database', start: '2025-01-20', end: '2025-01-31' },
      { name: 'Phase 2: system connections', start: '2025-01-27', end: '2025-02-21' },
    ],
    gates: [],
    store: '/tmp/imos.json',
    concurrency: 4,
    historySize: 100,
    server: { host: '127.0.0.1', port: 3401 },
    plan: {},
    retention: { resolvedAlertsMs: 30 * 86_400_000 },
    ...overrides,
  };
}
