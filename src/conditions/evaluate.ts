import type { Condition, ConditionResult } from './types.js';

/** Read a dotted path from metrics: `body.items.length` works on arrays and strings. */
export function readMetric(metrics: Record<string, unknown>, path: string): unknown {
  let current: unknown = metrics;
  for (const segment of path.split('.')) {
    if (current === null || current === undefined) return undefined;
    if (segment === 'length' && (Array.isArray(current) || typeof current === 'string')) {
      current = current.length;
    } else if (typeof current === 'object') {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Does the condition hold for these metrics? A missing metric never satisfies a condition. */
export function evaluateCondition(condition: Condition, metrics: Record<string, unknown>): ConditionResult {
  const actual = readMetric(metrics, condition.metric);
  if (actual === undefined) return { holds: false, actual };
  const expected = condition.value;
  switch (condition.op) {
    case '==':
      return { holds: looseEquals(actual, expected), actual };
    case '!=':
      return { holds: !looseEquals(actual, expected), actual };
    default: {
      const a = typeof actual === 'number' ? actual : Number(actual);
      const b = typeof expected === 'number' ? expected : Number(expected);
      if (actual === null || Number.isNaN(a) || Number.isNaN(b) || expected === null) return { holds: false, actual };
      const holds =
        condition.op === '<' ? a < b : condition.op === '<=' ? a <= b : condition.op === '>' ? a > b : a >= b;
      return { holds, actual };
    }
  }
}

function looseEquals(actual: unknown, expected: Condition['value']): boolean {
  if (expected === null) return actual === null;
  if (typeof expected === 'number') return typeof actual === 'number' ? actual === expected : Number(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected;
  return String(actual) === expected;
}

/** Describe a failed or matched condition for messages: `latency < 500ms (was 812)`. */
export function describeCondition(condition: Condition, actual: unknown): string {
  const shown = actual === undefined ? 'missing' : typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  return `${condition.source} (was ${shown.length > 60 ? shown.slice(0, 57) + '...' : shown})`;
}
