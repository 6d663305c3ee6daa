import { describe, expect, it } from 'vitest';
import type { Alert } from '../model.js';
import { responseStats } from './metrics.js';
import { alertTable, sortAlerts } from './present.js';
import { alertJson } from '../alert-json.js';
import { hotelConfig, HOUR, MIN, T0 } from '../../test/alerts/fixtures.js';
import { makeAlert } from '../../test/helpers/alerts.js';

const at = (ms: number) => new Date(ms).toISOString();

function alert(id: string, over: Partial<Alert> & { openedMin: number }): Alert {
  const { openedMin, ...rest } = over;
  return makeAlert({
    id,
    fingerprint: `c:${id}`,
    checkId: 'c',
    system: 'hotel-pms',
    type: 'X',
    message: 'm',
    openedAt: at(T0 + openedMin * MIN),
    lastSeenAt: at(T0 + openedMin * MIN),
    respondBy: at(T0 + (openedMin + 30) * MIN),
    respondedAt: null,
    ...rest,
  });
}

describe('MTTA / MTTR', () => {
  const alerts: Alert[] = [
    // CRITICAL on pms: acked after 10 min, resolved after 60.
    alert('A1', { openedMin: 0, respondedAt: at(T0 + 10 * MIN), acknowledgedAt: at(T0 + 10 * MIN), state: 'resolved', resolvedAt: at(T0 + 60 * MIN) }),
    // CRITICAL on common: acked after 50 min (late: breached), resolved after 120; ack later withdrawn.
    alert('A2', { openedMin: 0, system: 'hotel-common', respondedAt: at(T0 + 50 * MIN), state: 'resolved', resolvedAt: at(T0 + 120 * MIN) }),
    // CRITICAL, still open, breach recorded.
    alert('A3', { openedMin: 100, breached: true }),
    // HIGH resolved by the check before anyone responded.
    alert('A4', { openedMin: 0, severity: 'HIGH', respondBy: at(T0 + HOUR), state: 'resolved', resolvedAt: at(T0 + 20 * MIN), resolvedBy: 'imos' }),
    // Outside the period.
    alert('A5', { openedMin: 24 * 60, respondedAt: at(T0 + 24 * HOUR + MIN) }),
  ];

  it('per severity, per system and overall, against the response targets', () => {
    const stats = responseStats(alerts, hotelConfig(), T0, T0 + 24 * HOUR);
    expect(stats.bySeverity.CRITICAL).toEqual({ count: 3, responded: 2, resolved: 2, open: 1, mttaMs: 30 * MIN, mttrMs: 90 * MIN, breached: 2, targetMs: 30 * MIN });
    expect(stats.bySeverity.HIGH).toEqual({ count: 1, responded: 0, resolved: 1, open: 0, mttaMs: null, mttrMs: 20 * MIN, breached: 0, targetMs: HOUR });
    expect(stats.bySeverity.MEDIUM).toMatchObject({ count: 0, mttaMs: null, mttrMs: null, targetMs: 24 * HOUR });
    expect(Object.keys(stats.bySystem)).toEqual(['hotel-common', 'hotel-pms']);
    expect(stats.bySystem['hotel-common']).toMatchObject({ count: 1, mttaMs: 50 * MIN, mttrMs: 120 * MIN, breached: 1 });
    expect(stats.bySystem['hotel-pms']).toMatchObject({ count: 3, mttaMs: 10 * MIN, mttrMs: 40 * MIN, breached: 1 });
    expect(stats.overall).toMatchObject({ count: 4, responded: 2, resolved: 3, open: 1 });
  });
});

describe('presenting alerts', () => {
  const list = [
    alert('A1', { openedMin: 5, severity: 'HIGH' }),
    alert('A2', { openedMin: 9, severity: 'CRITICAL' }),
    alert('A3', { openedMin: 1, severity: 'CRITICAL', state: 'acknowledged', acknowledgedBy: 'luna' }),
    alert('A4', { openedMin: 0, severity: 'CRITICAL', state: 'resolved', resolvedAt: at(T0 + 20 * MIN) }),
    alert('A10', { openedMin: 2, severity: 'MEDIUM', causedBy: 'A2' }),
  ];

  it('sorts by severity, then age; resolved last', () => {
    expect(sortAlerts(list).map((a) => a.id)).toEqual(['A3', 'A2', 'A1', 'A10', 'A4']);
  });

  it('JSON has exactly the fields docs/CONTRACT.md promises', () => {
    expect(Object.keys(alertJson(list[0]!)).sort()).toEqual(
      ['id', 'fingerprint', 'checkId', 'system', 'type', 'severity', 'state', 'message', 'openedAt', 'lastSeenAt', 'acknowledgedBy', 'acknowledgedAt', 'resolvedAt', 'escalationLevel', 'nextEscalationAt'].sort(),
    );
  });

  it('the table fits the width and shows who acked and what caused it', () => {
    const text = alertTable(list, T0 + 30 * MIN, 80);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+STATE\s+SYSTEM\s+TYPE\s+AGE\s+MESSAGE$/);
    expect(lines[1]).toMatch(/^A3 .*acknowledged.*29m  ack luna · m$/);
    expect(lines.find((l) => l.startsWith('A10'))).toMatch(/caused by A2/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(alertTable([], T0)).toBe('No alerts.');
  });

  it('the table strips terminal controls from stored text (who acked, the cause), not only the message', () => {
    const evil = '\u001b]0;owned\u0007\u001b[2J\u202e';
    const text = alertTable([alert('A5', { openedMin: 1, severity: 'HIGH', state: 'acknowledged', acknowledgedBy: `luna${evil}`, causedBy: `A2${evil}` })], T0 + 30 * MIN, 120);
    expect(text).toContain('ack luna');
    expect(text).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
