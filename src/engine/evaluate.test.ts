import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../checks/types.js';
import { parseCondition } from '../conditions/index.js';
import type { CheckConfig } from '../config/types.js';
import type { CheckResult, CheckStatus } from '../model.js';
import { applyRun, historyPoint, judgeOutcome } from './evaluate.js';

const metrics: Record<string, MetricSpec> = {
  lag: { unit: 's', description: '' },
  status: { unit: 'count', description: '' },
  body: { unit: 'object', description: '' },
};
const c = (t: string) => parseCondition(t, metrics);

function check(partial: Partial<CheckConfig> = {}): CheckConfig {
  return {
    id: 'sync',
    system: 'pms',
    kind: 'sync-lag',
    everyMs: 30_000,
    timeoutMs: 10_000,
    failureThreshold: 2,
    successThreshold: 2,
    thresholds: [],
    expect: [],
    severity: 'CRITICAL',
    options: {},
    ...partial,
  };
}

describe('judgeOutcome', () => {
  const lagCheck = check({
    thresholds: [
      { severity: 'CRITICAL', conditions: [c('lag > 60s')] },
      { severity: 'HIGH', conditions: [c('lag > 5s')] },
    ],
  });
  it.each([
    [2, 'ok'],
    [7, 'HIGH'],
    [120, 'CRITICAL'],
  ])('lag %d s → %s', (lag, status) => {
    expect(judgeOutcome(lagCheck, { value: lag, metrics: { lag }, message: `lag ${lag}s` }).status).toBe(status);
  });

  it('names the threshold that matched', () => {
    expect(judgeOutcome(lagCheck, { value: 7, metrics: { lag: 7 }, message: 'lag 7s' }).message).toBe('lag 7s — HIGH: lag > 5s (was 7)');
  });

  it('a failed expectation gives the check its severity', () => {
    const http = check({ expect: [c('status == 200'), c("body.status == 'ok'")], severity: 'HIGH' });
    const verdict = judgeOutcome(http, { value: 503, metrics: { status: 503, body: { status: 'down' } }, message: 'HTTP 503' });
    expect(verdict.status).toBe('HIGH');
    expect(verdict.message).toContain("expected status == 200 (was 503), body.status == 'ok' (was down)");
    expect(judgeOutcome(http, { value: 200, metrics: { status: 200, body: { status: 'ok' } }, message: 'HTTP 200' }).status).toBe('ok');
  });

  it("keeps the kind's own verdict and sanitises the message", () => {
    expect(judgeOutcome(check(), { value: null, metrics: {}, status: 'error', message: 'boom\x1b[2J\x1b]0;title\x07' })).toEqual({
      status: 'error',
      message: 'boom',
    });
    expect(judgeOutcome(check(), { value: null, metrics: {}, status: 'CRITICAL', message: 'unreachable' }).status).toBe('CRITICAL');
  });
});

describe('applyRun: failure and success thresholds', () => {
  const run = (status: CheckStatus, n: number): CheckResult => ({
    id: 'sync',
    system: 'pms',
    kind: 'sync-lag',
    status,
    runStatus: status,
    value: n,
    metrics: {},
    message: '',
    durationMs: 1,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  });

  it('turns only after N failures in a row and recovers after M passes', () => {
    const cfg = { failureThreshold: 2, successThreshold: 2 };
    const sequence: Array<[CheckStatus, CheckStatus]> = [
      ['ok', 'ok'],
      ['HIGH', 'ok'], // one failure is not enough
      ['ok', 'ok'],
      ['HIGH', 'ok'],
      ['HIGH', 'HIGH'], // second in a row: turns
      ['CRITICAL', 'CRITICAL'], // follows the latest severity while failing
      ['ok', 'CRITICAL'], // one pass is not enough
      ['HIGH', 'HIGH'],
      ['ok', 'HIGH'],
      ['ok', 'ok'], // two passes: recovered
    ];
    let state: ReturnType<typeof applyRun> | undefined;
    sequence.forEach(([runStatus, effective], i) => {
      state = applyRun(state, run(runStatus, i), cfg);
      expect([i, state.status]).toEqual([i, effective]);
    });
    expect(state!.last!.value).toBe(9);
    expect(historyPoint(run('HIGH', 4))).toEqual({ at: run('HIGH', 4).at, status: 'HIGH', value: 4, durationMs: 1 });
  });

  it('stays pending while the first failures are below the threshold', () => {
    const first = applyRun(undefined, run('CRITICAL', 1), { failureThreshold: 3, successThreshold: 1 });
    expect(first.status).toBe('pending');
    expect(applyRun(undefined, run('CRITICAL', 1), { failureThreshold: 1, successThreshold: 1 }).status).toBe('CRITICAL');
  });
});
