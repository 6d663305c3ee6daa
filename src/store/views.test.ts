import { describe, expect, it } from 'vitest';
import { emptyChangeSet, SectionState } from './state.js';
import { historyView, resultsView, withHistory } from './views.js';

const since = '2026-01-05T00:00:00.000Z';
const check = (id: string, failures: number) => ({ id, last: null, failures, successes: 0, status: 'CRITICAL' as const, since });
const point = (n: number) => ({ at: new Date(Date.UTC(2026, 0, 5, 0, n)).toISOString(), status: 'ok' as const, value: n, durationMs: 5 });

describe('resultsView', () => {
  it('lists the hourly counts when first read: a reader of the checks alone freezes none of their records', () => {
    const results = new SectionState('results');
    const parse = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    const counts = [0, 1].map((h) => parse({ id: `a@2026-01-05T0${h}`, checkId: 'a', hour: `2026-01-05T0${h}:00:00.000Z`, ok: 3, total: 4 }));
    results.load(1, { checks: [parse(check('a', 1))], uptime: counts as never });
    const view = resultsView(results);
    const data = withHistory(view);
    expect(Object.keys(data.checks)).toEqual(['a']);
    expect(Object.isFrozen(data.checks.a)).toBe(true);
    expect(counts.some((c) => Object.isFrozen(c))).toBe(false);

    expect(data.uptime).toEqual(counts);
    expect(view.uptime).toBe(data.uptime);
    expect(Object.isFrozen(view.uptime)).toBe(true);
    expect(counts.every((c) => Object.isFrozen(c))).toBe(true);
    // Printed as JSON, the view still has them.
    expect(JSON.parse(JSON.stringify(view)).uptime).toEqual(counts);
  });
});

describe('withHistory', () => {
  it('builds the state of a check whose record or history changed, and keeps the others as they were', () => {
    const results = new SectionState('results');
    const history = new SectionState('history');
    results.apply({ ...emptyChangeSet('results'), put: { checks: [check('a', 1), check('b', 1)] } }, 1);
    history.apply({ ...emptyChangeSet('history'), append: [{ id: 'a', points: [point(1)], max: 5 }] }, 1);
    const first = withHistory(resultsView(results), historyView(history));
    expect(first.checks.a).toEqual({ last: null, failures: 1, successes: 0, status: 'CRITICAL', since, history: [point(1)] });
    expect(first.checks.b!.history).toEqual([]);

    // A batch that ran check b: its record changes; a's record and history stay.
    results.apply({ ...emptyChangeSet('results'), put: { checks: [check('b', 2)] } }, 2);
    const second = withHistory(resultsView(results), historyView(history));
    expect(second.checks.a).toBe(first.checks.a);
    expect(second.checks.b).not.toBe(first.checks.b);
    expect(second.checks.b!.failures).toBe(2);

    // A point appended to a's history: a new state with it.
    history.apply({ ...emptyChangeSet('history'), append: [{ id: 'a', points: [point(2)], max: 5 }] }, 2);
    const third = withHistory(resultsView(results), historyView(history));
    expect(third.checks.a).not.toBe(second.checks.a);
    expect(third.checks.a!.history.map((p) => p.value)).toEqual([1, 2]);
    expect(third.checks.b).toBe(second.checks.b);
  });
});
