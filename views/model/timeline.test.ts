import { describe, expect, it } from 'vitest';
import { hotelConfig } from '../testing/fixtures.js';
import { timelineRows } from './timeline.js';

describe('timeline rows', () => {
  it('places phases on the project span with today marked', () => {
    const rows = timelineRows(hotelConfig(), null, Date.parse('2025-01-25T00:00:00Z'));
    expect(rows[0]!.from).toBe(0);
    expect(rows[1]!.to).toBe(1);
    expect(rows[0]!.elapsed).toBeCloseTo(5 / 12, 5);
    expect(rows[1]!.state).toBe('upcoming');
    expect(rows[0]!.today).toBeGreaterThan(0);
  });
});
