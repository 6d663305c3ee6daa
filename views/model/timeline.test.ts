import { describe, expect, it } from 'vitest';
import { hotelConfig } from '../testing/fixtures.js';
import { phaseBarSegments, statusFromPhases, timelineRows } from './timeline.js';

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

describe('the project status from its phases', () => {
  it('is the worst phase, naming it and how many share it', () => {
    expect(
      statusFromPhases(
        [
          { name: 'Phase 1', status: 'At Risk', reason: '60 % done at 90 % of the time' },
          { name: 'Phase 2', status: 'At Risk', reason: '0 % done at 40 % of the time' },
        ],
        48,
      ),
    ).toEqual({ status: 'At Risk', reason: '2 of 2 phases at risk (Phase 1: 60 % done at 90 % of the time) · 48 % done overall' });
    expect(
      statusFromPhases(
        [
          { name: 'Phase 1', status: 'On Track', reason: '100 % done' },
          { name: 'Phase 2', status: 'Delayed', reason: '10 % done, ended 2025-02-21' },
        ],
        48,
      ),
    ).toEqual({ status: 'Delayed', reason: '1 of 2 phases delayed (Phase 2: 10 % done, ended 2025-02-21) · 48 % done overall' });
    expect(statusFromPhases([{ name: 'P', status: 'On Track', reason: 'x' }, { name: 'Q', status: 'On Track', reason: 'y' }], 50)).toEqual({
      status: 'On Track',
      reason: 'all 2 phases are on track · 50 % done overall',
    });
    expect(statusFromPhases([], 50)).toBeNull();
  });

  it('a phase at 0 % done has no done segment, whatever its calendar', () => {
    const [row] = timelineRows(hotelConfig(), null, Date.parse('2025-01-25T00:00:00Z'));
    const seg = phaseBarSegments({ ...row!, percent: 0 });
    expect(seg.doneTo).toBe(seg.from);
    expect(seg.elapsedTo).toBeGreaterThan(seg.from);
    expect(phaseBarSegments({ ...row!, percent: 50 }).doneTo).toBeCloseTo(row!.from + (row!.to - row!.from) / 2, 6);
  });
});
