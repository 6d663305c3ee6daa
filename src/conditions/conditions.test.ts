import { describe, expect, it } from 'vitest';
import type { MetricSpec } from '../../checks/types.js';
import { ConditionError, evaluateCondition, parseCondition } from './index.js';

const metrics: Record<string, MetricSpec> = {
  status: { unit: 'count', description: '' },
  latency: { unit: 'ms', description: '' },
  lag: { unit: 's', description: '' },
  connections: { unit: 'percent', description: '' },
  body: { unit: 'object', description: '' },
  name: { unit: 'text', description: '' },
};

describe('the condition language', () => {
  it.each([
    ['status == 200', { status: 200 }, true],
    ['status == 200', { status: 503 }, false],
    ['status != 200', { status: 503 }, true],
    ['latency < 500ms', { latency: 120 }, true],
    ['latency < 500ms', { latency: 812 }, false],
    ['latency < 2s', { latency: 1500 }, true],
    ['lag > 5s', { lag: 7.5 }, true],
    ['lag > 5s', { lag: 2 }, false],
    ['lag > 1m', { lag: 61 }, true],
    ['connections > 80%', { connections: 85 }, true],
    ["body.status == 'ok'", { body: { status: 'ok' } }, true],
    ["body.status == 'ok'", { body: { status: 'degraded' } }, false],
    ['body.items.length > 0', { body: { items: [1, 2] } }, true],
    ['body.items.length > 0', { body: { items: [] } }, false],
    ['body.ready == true', { body: { ready: true } }, true],
    ['name.length >= 3', { name: 'abcd' }, true],
    ['status == 200', {}, false],
  ])('%s with %j → %s', (text, values, holds) => {
    expect(evaluateCondition(parseCondition(text, metrics), values).holds).toBe(holds);
  });

  it('converts durations to the metric unit at parse time', () => {
    expect(parseCondition('latency < 2s', metrics).value).toBe(2000);
    expect(parseCondition('lag > 10m', metrics).value).toBe(600);
  });

  it.each([
    ['speed > 3', 'unknown metric "speed" (known: status, latency, lag, connections, body, name)', 1],
    ['status >> 3', 'expected a number', 9],
    ['status 200', 'expected an operator', 8],
    ['status == ', 'expected a value', 11],
    ['status > 80%', '"status" is not a percentage', 10],
    ['status > 5s', '"status" is not a duration', 10],
    ['status == 200 and more', 'unexpected "and more"', 15],
    ['latency.x < 3', 'metric "latency" has no field "x"', 9],
    ['status == fine', 'expected a number', 11],
  ])('rejects %j: %s at column %d', (text, reason, column) => {
    let error: unknown;
    try {
      parseCondition(text, metrics);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConditionError);
    expect((error as ConditionError).message).toContain(reason);
    expect((error as ConditionError).column).toBe(column);
  });
});
