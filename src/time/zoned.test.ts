import { describe, expect, it } from 'vitest';
import { localStamp, wallClock, zonedToUtc } from './zoned.js';

describe('wall-clock time in a zone', () => {
  it('reads UTC as ICU does, without asking it (Etc/UTC is the same zone, read through Intl)', () => {
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2300, 0, 1);
    const instants = [0, Date.UTC(2026, 1, 28, 23, 59, 59), Date.UTC(2028, 1, 29, 12), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 4)];
    for (let i = 0; i < 2000; i++) instants.push(from + (next() / 2 ** 32) * (to - from));
    for (const ms of instants) expect(wallClock(ms, 'UTC'), new Date(ms).toISOString()).toEqual(wallClock(ms, 'Etc/UTC'));
    expect(wallClock(Date.UTC(2026, 11, 7, 9, 5, 3), 'UTC')).toEqual({ weekday: 0, year: 2026, month: 12, day: 7, hour: 9, minute: 5, second: 3 });
    expect(localStamp(Date.UTC(2026, 0, 5, 22, 0), 'UTC')).toBe('2026-01-05 22:00');
    expect(zonedToUtc(2026, 3, 29, 1, 30, 0, 'UTC')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(() => wallClock(Number.NaN, 'UTC')).toThrow(RangeError);
  });

  it('keeps the zone rules of other zones', () => {
    expect(wallClock(Date.UTC(2026, 0, 5, 22, 0), 'Asia/Tokyo')).toMatchObject({ year: 2026, month: 1, day: 6, hour: 7, weekday: 1 });
  });
});
