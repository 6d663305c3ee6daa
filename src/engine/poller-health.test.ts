import { describe, expect, it } from 'vitest';
import { overdueAfterMs, overdueRound } from './poller-health.js';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('poller health: a round overdue', () => {
  it('waits 3 × the shortest interval, never less than a minute', () => {
    expect(overdueAfterMs([{ everyMs: 1_000 }, { everyMs: 300_000 }])).toBe(60_000);
    expect(overdueAfterMs([{ everyMs: 30_000 }, { everyMs: 300_000 }])).toBe(90_000);
    expect(overdueAfterMs([])).toBeNull();
  });

  it.each([
    { name: 'a fresh round', last: at(0), now: 89_000, overdue: false },
    { name: 'just before the limit', last: at(0), now: 89_999, overdue: false },
    { name: 'at the limit', last: at(0), now: 90_000, overdue: true },
    { name: 'no round ever, watching for a while', last: null, now: 120_000, overdue: true },
  ])('$name', ({ last, now, overdue }) => {
    const reason = overdueRound({ checks: [{ everyMs: 30_000 }], lastPollAt: last, watchingSinceMs: T0, nowMs: T0 + now, paused: false });
    expect(reason !== null).toBe(overdue);
    if (reason) expect(reason).toMatch(/^no poller has recorded a round (yet|for 1m)/);
  });

  it('counts from when the caller started watching: a store that was idle is not overdue at once', () => {
    const input = { checks: [{ everyMs: 30_000 }], lastPollAt: at(-3_600_000), watchingSinceMs: T0, paused: true };
    expect(overdueRound({ ...input, nowMs: T0 + 10_000 })).toBeNull();
    expect(overdueRound({ ...input, nowMs: T0 + 90_000 })).toBe('no poller has recorded a round for 1h 1m (overdue after 1m30s); polling is paused');
  });

  it('has nothing to say without checks', () => {
    expect(overdueRound({ checks: [], lastPollAt: null, watchingSinceMs: T0, nowMs: T0 + 86_400_000, paused: false })).toBeNull();
  });
});
