// Test fixtures for the alert engine: the example's hotel integration as a loaded config, check
// results and an empty core section (pure-logic tests; src/store/memory-store.ts is the in-memory Store).
import type { CheckResult, CheckStatus } from '../../src/model.js';
import type { CheckConfig, ImosConfig } from '../../src/config/types.js';
import { emptySection, type CoreData } from '../../src/store/types.js';
import { DEFAULT_POLICIES } from '../../src/alerts/policy.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.parse('2026-01-05T00:00:00Z'); // a Monday

export function hotelConfig(overrides: Partial<ImosConfig> = {}): ImosConfig {
  return {
    file: '/tmp/imos.yaml',
    baseDir: '/tmp',
    project: 'Hotel integration',
    timezone: 'Asia/Tokyo',
    people: {
      manager: { id: 'manager', name: 'Integration manager', slack: 'U01MANAGER', email: 'manager@example.com' },
      owner: { id: 'owner', name: 'Project owner', slack: 'U01OWNER', email: 'owner@example.com' },
      suno: { id: 'suno', name: 'Suno', email: 'suno@example.com' },
      luna: { id: 'luna', name: 'Luna' },
      sun: { id: 'sun', name: 'Sun' },
    },
    systems: {
      'hotel-common': { id: 'hotel-common', name: 'Unified platform', leader: 'manager', depends_on: [] },
      'hotel-member': { id: 'hotel-member', name: 'Members', leader: 'suno', depends_on: ['hotel-common'] },
      'hotel-pms': { id: 'hotel-pms', name: 'PMS', leader: 'luna', depends_on: ['hotel-common'] },
      'hotel-saas': { id: 'hotel-saas', name: 'Orders SaaS', leader: 'sun', depends_on: ['hotel-pms'] },
    },
    checks: [checkConfig('unified-db', 'hotel-common')],
    severities: structuredClone(DEFAULT_POLICIES),
    channels: { slack: { channel: '#alerts' }, email: { from: 'imos@example.com' }, webhook: { url: 'http://127.0.0.1:9/hook' } },
    maintenance: [],
    phases: [],
    store: '/tmp/imos.json',
    concurrency: 4,
    historySize: 100,
    server: { host: '127.0.0.1', port: 3401 },
    plan: {},
    retention: { resolvedAlertsMs: 30 * 86_400_000 },
    ...overrides,
  };
}

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

export function emptyCore(): CoreData {
  return emptySection('core');
}
