import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../config/load.js';
import type { CheckStatus, MetricValue } from '../model.js';
import type { ResultsData } from '../store/types.js';
import { evaluateGates, overallStatus, runsBefore, type GateCheckInput } from './evaluate.js';

// Gates as a configuration file writes them: the three levels of an integration (README, Quality gates) over real check kinds.
const config = loadConfigText(
  `project: Gates
systems:
  app: { name: App }
  pms: { name: PMS }
phases:
  - { name: "Phase 1: unified database", start: 2025-01-20, end: 2025-01-31 }
  - { name: "Phase 2: system connections", start: 2025-01-27, end: 2025-02-21 }
checks:
  - { id: app-ts, system: app, kind: typescript, project: tsconfig.json }
  - { id: app-coverage, system: app, kind: coverage, report: coverage/lcov.info }
  - { id: app-api, system: app, kind: http, url: "http://127.0.0.1:1/health" }
  - { id: pms-api, system: pms, kind: http, url: "http://127.0.0.1:2/health" }
  - { id: pms-sync, system: pms, kind: sync-lag, url: "postgres://x@127.0.0.1/db", query: "select 1" }
  - { id: booking-flow, system: pms, kind: command, run: [true] }
gates:
  code:
    - id: types-and-coverage
      name: TypeScript errors 0 and coverage >= 80 %
      phase: Phase 1
      require:
        - { kind: typescript, that: errors == 0 }
        - { check: app-coverage, that: [lines >= 80%, branches >= 50%] }
  integration:
    - id: apis-and-sync
      phase: Phase 2
      severity: CRITICAL
      require:
        - { kind: http }
        - { kind: sync-lag, that: lag < 5s }
  business:
    - id: flows
      require: [{ check: booking-flow }]
`,
  '/tmp/imos.yaml',
  { env: {} },
);

type Run = Partial<GateCheckInput> & { status: CheckStatus };
const reader = (runs: Record<string, Run>) => (id: string): GateCheckInput | null => {
  const r = runs[id];
  return r ? { value: null, metrics: {}, message: '', at: '2025-01-28T00:00:00.000Z', ...r } : null;
};
const good: Record<string, Run> = {
  'app-ts': { status: 'ok', value: 0, metrics: { errors: 0, files: 0 } },
  'app-coverage': { status: 'ok', value: 86.5, metrics: { lines: 86.5, branches: 71.2 } },
  'app-api': { status: 'ok', value: 200, metrics: { status: 200 } },
  'pms-api': { status: 'ok', value: 200, metrics: { status: 200 } },
  'pms-sync': { status: 'ok', value: 1.2, metrics: { lag: 1.2 } },
  'booking-flow': { status: 'ok', value: 0, metrics: { exit: 0 } },
};
const statuses = (runs: Record<string, Run>) => evaluateGates(config.gates, reader(runs)).map((g) => `${g.id}:${g.status}`);

describe('quality gates', () => {
  it('are read from the file in level order, with their checks resolved and conditions parsed', () => {
    expect(config.gates.map((g) => [g.id, g.level, g.phase ?? null, g.severity])).toEqual([
      ['types-and-coverage', 'code', 'Phase 1', 'HIGH'],
      ['apis-and-sync', 'integration', 'Phase 2', 'CRITICAL'],
      ['flows', 'business', null, 'HIGH'],
    ]);
    expect(config.gates[1]!.requirements.map((r) => [r.label, r.checks])).toEqual([
      ['kind http', ['app-api', 'pms-api']],
      ['kind sync-lag', ['pms-sync']],
    ]);
    // 5s in the unit of sync-lag's `lag` (seconds).
    expect(config.gates[1]!.requirements[1]!.conditions['pms-sync']![0]!.value).toBe(5);
  });

  it.each<[string, Record<string, Run>, string[]]>([
    ['everything measured and good', good, ['types-and-coverage:pass', 'apis-and-sync:pass', 'flows:pass']],
    ['coverage under 80 %', { ...good, 'app-coverage': { status: 'ok', metrics: { lines: 79.9, branches: 71 } } }, ['types-and-coverage:fail', 'apis-and-sync:pass', 'flows:pass']],
    ['one TypeScript error', { ...good, 'app-ts': { status: 'HIGH', metrics: { errors: 1 } } }, ['types-and-coverage:fail', 'apis-and-sync:pass', 'flows:pass']],
    ['one API down (its status, not a metric, is judged)', { ...good, 'pms-api': { status: 'CRITICAL', metrics: { status: 503 } } }, ['types-and-coverage:pass', 'apis-and-sync:fail', 'flows:pass']],
    ['sync delay of exactly 5 s', { ...good, 'pms-sync': { status: 'ok', metrics: { lag: 5 } } }, ['types-and-coverage:pass', 'apis-and-sync:fail', 'flows:pass']],
    ['a sync check that could not run', { ...good, 'pms-sync': { status: 'error', metrics: {} } }, ['types-and-coverage:pass', 'apis-and-sync:fail', 'flows:pass']],
    ['lcov without the metric a condition names', { ...good, 'app-coverage': { status: 'ok', metrics: { lines: 90 } } }, ['types-and-coverage:fail', 'apis-and-sync:pass', 'flows:pass']],
    ['a business flow failing', { ...good, 'booking-flow': { status: 'CRITICAL', message: 'exit 1: checkout failed' } }, ['types-and-coverage:pass', 'apis-and-sync:pass', 'flows:fail']],
    ['a check not run yet', { ...good, 'booking-flow': { status: 'pending' } }, ['types-and-coverage:pass', 'apis-and-sync:pass', 'flows:unknown']],
    ['a check never stored', (({ 'app-coverage': _, ...rest }) => rest)(good), ['types-and-coverage:unknown', 'apis-and-sync:pass', 'flows:pass']],
    ['unknown and failing: failing wins', { ...good, 'app-coverage': { status: 'pending' }, 'app-ts': { status: 'HIGH', metrics: { errors: 3 } } }, ['types-and-coverage:fail', 'apis-and-sync:pass', 'flows:pass']],
  ])('%s', (_, runs, expected) => {
    expect(statuses(runs)).toEqual(expected);
  });

  it('give the evidence: each check, its verdict and the values the conditions met', () => {
    const runs = { ...good, 'app-coverage': { status: 'ok' as const, value: 42.9, metrics: { lines: 42.9, branches: 31.3 } }, 'pms-api': { status: 'CRITICAL' as const, message: '503 Service Unavailable' } };
    const [code, integration] = evaluateGates(config.gates, reader(runs));
    expect(code!.target).toBe('kind typescript: errors == 0; app-coverage: lines >= 80% and branches >= 50%');
    expect(code!.evidence.map((e) => [e.check, e.verdict, e.reason])).toEqual([
      ['app-ts', 'pass', 'errors == 0 (was 0)'],
      ['app-coverage', 'fail', 'lines >= 80% (was 42.9), branches >= 50% (was 31.3)'],
    ]);
    expect(integration!.evidence.map((e) => [e.check, e.verdict, e.reason])).toEqual([
      ['app-api', 'pass', 'passing'],
      ['pms-api', 'fail', 'CRITICAL: 503 Service Unavailable'],
      ['pms-sync', 'pass', 'lag < 5s (was 1.2)'],
    ]);
    expect(overallStatus([code!, integration!])).toBe('fail');
    expect(overallStatus([])).toBe('pass');
  });

  it('of one phase: those tied to it, named as the timeline names phases', () => {
    expect(evaluateGates(config.gates, reader(good), { phase: 'Phase 2: system connections' }).map((g) => g.id)).toEqual(['apis-and-sync']);
    expect(evaluateGates(config.gates, reader(good), { phase: 'phase 1' }).map((g) => g.id)).toEqual(['types-and-coverage']);
    expect(evaluateGates(config.gates, reader(good), { phase: 'Phase 3' })).toEqual([]);
  });

  it('as they stood at a past time: statuses from the history, conditions unknown without metrics', () => {
    const state = (status: CheckStatus, value: MetricValue, metrics: Record<string, MetricValue>, lastAt: string, history: Array<[string, CheckStatus, MetricValue]>) => ({
      last: { id: '', system: '', kind: '', status, runStatus: status, value, metrics, message: '', durationMs: 1, at: lastAt },
      failures: 0,
      successes: 1,
      status,
      since: null,
      history: history.map(([at, s, v]) => ({ at, status: s, value: v, durationMs: 1 })),
    });
    const results: ResultsData = {
      lastPollAt: null,
      checks: {
        'booking-flow': state('ok', 0, { exit: 0 }, '2025-02-10T00:00:00Z', [['2025-01-30T00:00:00Z', 'CRITICAL', 1], ['2025-02-10T00:00:00Z', 'ok', 0]]),
        'pms-sync': state('ok', 1, { lag: 1 }, '2025-01-29T00:00:00Z', [['2025-01-29T00:00:00Z', 'ok', 1]]),
        'app-ts': state('ok', 0, { errors: 0 }, '2025-02-10T00:00:00Z', [['2025-01-29T00:00:00Z', 'HIGH', 4]]),
      },
    };
    const read = runsBefore(results, Date.parse('2025-02-01T00:00:00Z'));
    expect(read('booking-flow')).toMatchObject({ status: 'CRITICAL', metrics: null });
    expect(read('pms-sync')).toMatchObject({ status: 'ok', metrics: { lag: 1 } });
    const [code, , business] = evaluateGates(config.gates, read);
    expect(business!.status).toBe('fail');
    expect(code!.evidence[0]).toMatchObject({ check: 'app-ts', verdict: 'unknown', reason: 'its metrics at that time were not kept' });
  });
});
