import { describe, expect, it } from 'vitest';
import { hotelConfig, hotelCore, hotelResults, NOW, alert } from '../../views/testing/fixtures.js';
import {
  activeAlertRows,
  compactDuration,
  detailLines,
  escalationQueue,
  filterRows,
  holderLabel,
  openAlertSeries,
  overview,
  recentActions,
  standupRows,
  systemRows,
  timelineRows,
  type ConsoleData,
} from './view-model.js';
import { emptySection } from '../store/types.js';
import { plainSummary } from './summary.js';

const data = (): ConsoleData => ({ core: hotelCore(), results: hotelResults(), lease: emptySection('lease'), audit: [], plan: null });

describe('console view models', () => {
  it('sorts active alerts by severity, then oldest first, and leaves resolved ones out', () => {
    const alerts = [
      alert('A1', 'HIGH', 's', 'new high', 60_000),
      alert('A2', 'CRITICAL', 's', 'crit', 1000),
      alert('A3', 'HIGH', 's', 'old high', 600_000),
      alert('A4', 'CRITICAL', 's', 'gone', 5000, { state: 'resolved' }),
      alert('A5', 'MEDIUM', 's', 'medium', 9_000_000),
    ];
    expect(activeAlertRows(alerts, NOW).map((a) => a.id)).toEqual(['A2', 'A3', 'A1', 'A5']);
  });

  it('alerts opened in the same poll are listed in the order they were opened (A2 before A10)', () => {
    const alerts = ['A10', 'A2', 'A1', 'A100', 'A11', 'A3'].map((id) => alert(id, 'CRITICAL', 's', 'same poll', 60_000));
    expect(activeAlertRows(alerts, NOW).map((a) => a.id)).toEqual(['A1', 'A2', 'A3', 'A10', 'A11', 'A100']);
  });

  it('strips terminal control sequences from alert text', () => {
    const rows = activeAlertRows([alert('A1', 'HIGH', 'sys\u001b[31m', 'bad \u001b]0;title\u0007text\u001b[2J', 0)], NOW);
    expect(rows[0]!.message).toBe('bad text');
    expect(rows[0]!.system).toBe('sys');
    // ids and the root cause are stored text too (a store from elsewhere): the console drew them raw
    const evil = '\u001b]0;owned\u0007\u202e';
    const [row] = activeAlertRows([alert(`A7${evil}`, 'HIGH', 's', 'm', 0, { causedBy: `A2${evil}`, nextEscalationAt: new Date(NOW + 60_000).toISOString() })], NOW);
    expect([row!.id, row!.causedBy]).toEqual(['A7', 'A2']);
    expect(escalationQueue([alert(`A7${evil}`, 'HIGH', 's', 'm', 0, { nextEscalationAt: new Date(NOW + 60_000).toISOString() })], NOW)[0]!.id).toBe('A7');
  });

  it('queues unacknowledged alerts by the time to their next escalation', () => {
    const at = (ms: number) => new Date(NOW + ms).toISOString();
    const q = escalationQueue(
      [
        alert('A1', 'HIGH', 's', 'm', 0, { nextEscalationAt: at(600_000) }),
        alert('A2', 'CRITICAL', 's', 'm', 0, { nextEscalationAt: at(-60_000) }),
        alert('A3', 'CRITICAL', 's', 'm', 0, { nextEscalationAt: at(5000), state: 'acknowledged' }),
      ],
      NOW,
    );
    expect(q.map((e) => [e.id, e.inMs])).toEqual([
      ['A2', -60_000],
      ['A1', 600_000],
    ]);
  });

  it('derives one row per system, worst first, with checks passing and the worst open alert', () => {
    const rows = systemRows(hotelConfig(), hotelResults(), hotelCore().alerts);
    expect(rows.map((r) => [r.id, r.status, `${r.passing}/${r.total}`, r.worstAlert?.id ?? null])).toEqual([
      ['hotel-common', 'CRITICAL', '1/3', 'A2'],
      ['hotel-member', 'HIGH', '0/1', 'A4'],
      ['hotel-pms', 'HIGH', '0/1', 'A1'],
      ['hotel-saas', 'MEDIUM', '1/3', 'A3'],
    ]);
    expect(rows[0]!.leader).toBe('Integration manager');
    expect(filterRows(rows, 'LUNA').map((r) => r.id)).toEqual(['hotel-pms']);
  });

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

  it('places phases on the project span with today marked', () => {
    const rows = timelineRows(hotelConfig(), null, Date.parse('2025-01-25T00:00:00Z'));
    expect(rows[0]!.from).toBe(0);
    expect(rows[1]!.to).toBe(1);
    expect(rows[0]!.elapsed).toBeCloseTo(5 / 12, 5);
    expect(rows[1]!.state).toBe('upcoming');
    expect(rows[0]!.today).toBeGreaterThan(0);
  });

  it('counts open alerts per hour for the sparkline', () => {
    const series = openAlertSeries([alert('A1', 'HIGH', 's', 'm', 2.5 * 3_600_000), alert('A2', 'HIGH', 's', 'm', 30 * 3_600_000, { resolvedAt: new Date(NOW - 3_600_000).toISOString() })], NOW, 4);
    // At now-3h only A2 is open; A1 opens at now-2.5h; A2 is resolved at now-1h.
    expect(series).toEqual([1, 2, 1, 1]);
  });

  it('turns check detail into readable lines', () => {
    expect(detailLines({ missing: ['a', 'b'] })).toEqual(['missing:', '  • a', '  • b']);
    expect(detailLines({ byFile: { 'src/x.ts': 3 } })).toEqual(['byFile:', '  src/x.ts: 3']);
    expect(detailLines(['x\u001b[2Jy'])).toEqual(['  • xy']);
    expect(detailLines([{ file: 'a.ts', line: 3 }])).toEqual(['  • file: a.ts, line: 3']);
  });

  it('labels the poller holder and marks a stale one', () => {
    const holder = { pid: 42, host: 'ops1', user: 'suno', since: '', renewedAt: new Date(NOW - 1000).toISOString(), token: 't', role: 'console' };
    expect(holderLabel(holder, NOW)).toBe('console suno@ops1 pid 42');
    expect(holderLabel({ ...holder, renewedAt: new Date(NOW - 60_000).toISOString() }, NOW)).toContain('(stale)');
    expect(holderLabel(null, NOW)).toBe('no poller');
  });

  it('lists recent actions newest first', () => {
    const rows = recentActions([
      { at: '2025-01-29T00:00:00Z', actor: 'a', action: 'ack', target: 'A1' },
      { at: '2025-01-29T00:01:00Z', actor: 'b', action: 'snooze', target: 'A2', note: 'later' },
    ]);
    expect(rows.map((r) => r.actor)).toEqual(['b', 'a']);
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

  it('formats compact durations', () => {
    expect([compactDuration(5000), compactDuration(600_000), compactDuration(3_900_000), compactDuration(90_000_000), compactDuration(-60_000)]).toEqual(['5s', '10m', '1h5m', '1d1h', '-1m']);
  });

  it('prints the plain summary used when stdout is not a terminal', () => {
    const text = plainSummary(hotelConfig(), data(), NOW);
    expect(text).toContain('Integration completion  85% (11/13 tables)');
    expect(text).toContain('Active alerts (4)');
    expect(text).toMatch(/✖ CRITICAL A2 +hotel-common/);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Escalation queue');
    expect(text).toContain("Today's standups (0/4)");
    expect(text).toContain('no standup yet: hotel-common, hotel-member, hotel-pms, hotel-saas');
  });
});
