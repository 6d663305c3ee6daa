import { describe, expect, it } from 'vitest';
import { alert, hotelConfig, hotelCore, hotelResults, NOW } from '../testing/fixtures.js';
import type { ConsoleData } from './data.js';
import { openAlertSeries, overview, standupRows } from './overview.js';
import { timelineRows } from './timeline.js';

const data = (): ConsoleData => ({ core: hotelCore(), results: hotelResults(), lease: { holder: null }, audit: [], plan: null });

describe('overview figures', () => {
  it('computes the overview from the latest completion snapshot when there is no matrix', () => {
    const o = overview(hotelConfig(), data(), NOW);
    expect(o.completion).toBe('85% (11/13 tables)');
    expect(o.connections).toBe('25% (1/4 systems)');
    expect([o.critical, o.high, o.medium]).toEqual([1, 2, 1]);
    expect(o.completionHistory).toEqual([62, 69, 77, 85]);
    expect(o.timeline).toBe('in Phase 1: unified database');
  });

  it('prefers the matrix figures when the plan is loaded', () => {
    const d = data();
    d.plan = {
      tables: { done: 12, total: 13 },
      systems: { done: 2, total: 4 },
      highPriorityTasks: 3,
      status: 'At Risk',
      reason: '62 % done at 80 % of the time',
      forecast: '2025-02-25',
      forecastBasis: 'linear fit of 5 points',
      phases: { 'Phase 1: unified database': { percent: 90, status: 'On Track' } },
    };
    const o = overview(hotelConfig(), d, NOW);
    expect(o.completion).toBe('92% (12/13 tables)');
    expect(o.highPriorityTasks).toBe(3);
    expect(o.timeline).toBe('At Risk');
    const phases = timelineRows(hotelConfig(), d.plan, NOW);
    expect(phases[0]).toMatchObject({ percent: 90, status: 'On Track', state: 'current' });
    expect(phases[1]).toMatchObject({ percent: null, state: 'current' });
  });

  it('counts open alerts per hour for the sparkline', () => {
    const series = openAlertSeries([alert('A1', 'HIGH', 's', 'm', 2.5 * 3_600_000), alert('A2', 'HIGH', 's', 'm', 30 * 3_600_000, { resolvedAt: new Date(NOW - 3_600_000).toISOString() })], NOW, 4);
    // At now-3h only A2 is open; A1 opens at now-2.5h; A2 is resolved at now-1h.
    expect(series).toEqual([1, 2, 1, 1]);
  });

  it('lists today’s standups per system (latest entry) and counts each carried blocker once', () => {
    const blocker = (id: string, resolvedAt: string | null) => ({ id, text: 'x', waitsOn: null, openedAt: '2025-01-28T00:00:00Z', resolvedAt });
    const standup = (system: string, date: string, at: string, done: string, blockers: ReturnType<typeof blocker>[]) => ({ id: at, system, date, author: 'luna', done, next: 'next\u001b[2J', blockers, at, history: [] });
    const d = data();
    d.core.standups = [
      standup('hotel-pms', '2025-01-28', '2025-01-28T01:00:00Z', 'yesterday', [blocker('B1', null), blocker('B2', null)]),
      standup('hotel-pms', '2025-01-29', '2025-01-29T00:30:00Z', 'first\nsecond line', [blocker('B1', null)]),
      standup('hotel-pms', '2025-01-29', '2025-01-29T00:40:00Z', 'edited', [blocker('B1', null), blocker('B2', '2025-01-29T00:40:00Z')]),
    ];
    const { rows, missing } = standupRows(hotelConfig(), d.core.standups, NOW);
    expect(rows).toEqual([{ system: 'hotel-pms', author: 'luna', done: 'edited', next: 'next', blockers: 1, at: '2025-01-29T00:40:00Z' }]);
    expect(missing).toEqual(['hotel-common', 'hotel-member', 'hotel-saas']);
    const o = overview(hotelConfig(), d, NOW);
    expect(o.openBlockers).toBe(1);
    expect(o.standupsToday).toBe(1);
  });
});
