import { describe, expect, it } from 'vitest';
import { applyRun } from './engine/evaluate.js';
import type { CheckResult } from './model.js';
import { belowThreshold, belowThresholdText } from './thresholds.js';

const run = (status: CheckResult['runStatus'], at: string): CheckResult =>
  ({ id: 'c', system: 's', kind: 'http', status, runStatus: status, value: 1, metrics: {}, message: 'm', durationMs: 1, at }) as CheckResult;

describe('short of the failure threshold', () => {
  it('from the first failing run until the threshold is reached, also after an ok', () => {
    const check = { failureThreshold: 3, successThreshold: 1 };
    let state = applyRun(undefined, run('ok', '2026-01-01T00:00:00Z'), check);
    expect(belowThreshold(state, check)).toBeNull();
    state = applyRun(state, run('HIGH', '2026-01-01T00:01:00Z'), check);
    expect(state.status).toBe('ok');
    expect(belowThreshold(state, check)).toEqual({ runs: 1, threshold: 3, runStatus: 'HIGH' });
    state = applyRun(state, run('CRITICAL', '2026-01-01T00:02:00Z'), check);
    expect(belowThresholdText(belowThreshold(state, check)!)).toBe('failing 2 of 3 before alerting');
    state = applyRun(state, run('CRITICAL', '2026-01-01T00:03:00Z'), check);
    expect(state.status).toBe('CRITICAL');
    expect(belowThreshold(state, check)).toBeNull();
    expect(belowThreshold(undefined, check)).toBeNull();
  });
});
