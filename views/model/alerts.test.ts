import { describe, expect, it } from 'vitest';
import { alert, NOW } from '../testing/fixtures.js';
import { activeAlertRows, alertAgeMs, escalatesInMs, escalationCountdownMs, escalationQueue, recentActions } from './alerts.js';

describe('alert center rows', () => {
  it('a stored (frozen) alert keeps its row from frame to frame while its age and countdown follow the clock; a changed alert is read anew', () => {
    const escalating = Object.freeze(alert('A1', 'HIGH', 'pms', 'disk \u001b[31mfull', 60_000, { nextEscalationAt: new Date(NOW + 120_000).toISOString() }));
    const rows = activeAlertRows([escalating]);
    const first = rows[0]!;
    // The rows do not move with time: the same list serves every tick of the clock.
    expect(activeAlertRows([escalating])[0]).toBe(first);
    expect(first.message).toBe('disk full');
    expect([alertAgeMs(first, NOW), alertAgeMs(first, NOW + 30_000)]).toEqual([60_000, 90_000]);
    expect([escalatesInMs(first, NOW), escalatesInMs(first, NOW + 30_000)]).toEqual([120_000, 90_000]);

    // The store replaces a changed alert with a new record: its row says what the new one says.
    const acknowledged = Object.freeze({ ...escalating, state: 'acknowledged' as const, acknowledgedBy: 'suno', message: 'disk 95%' });
    const row = activeAlertRows([acknowledged])[0]!;
    expect([row.state, row.acknowledgedBy, row.message, escalatesInMs(row, NOW + 30_000)]).toEqual(['acknowledged', 'suno', 'disk 95%', null]);
    expect(row.search).toContain('disk 95%');
  });

  it('sorts active alerts by severity, then oldest first, and leaves resolved ones out', () => {
    const alerts = [
      alert('A1', 'HIGH', 's', 'new high', 60_000),
      alert('A2', 'CRITICAL', 's', 'crit', 1000),
      alert('A3', 'HIGH', 's', 'old high', 600_000),
      alert('A4', 'CRITICAL', 's', 'gone', 5000, { state: 'resolved' }),
      alert('A5', 'MEDIUM', 's', 'medium', 9_000_000),
    ];
    expect(activeAlertRows(alerts).map((a) => a.id)).toEqual(['A2', 'A3', 'A1', 'A5']);
  });

  it('alerts opened in the same poll are listed in the order they were opened (A2 before A10)', () => {
    const alerts = ['A10', 'A2', 'A1', 'A100', 'A11', 'A3'].map((id) => alert(id, 'CRITICAL', 's', 'same poll', 60_000));
    expect(activeAlertRows(alerts).map((a) => a.id)).toEqual(['A1', 'A2', 'A3', 'A10', 'A11', 'A100']);
  });

  it('strips terminal control sequences from alert text', () => {
    const rows = activeAlertRows([alert('A1', 'HIGH', 'sys\u001b[31m', 'bad \u001b]0;title\u0007text\u001b[2J', 0)]);
    expect(rows[0]!.message).toBe('bad text');
    expect(rows[0]!.system).toBe('sys');
    // ids and the root cause are stored text too (a store from elsewhere): the console drew them raw
    const evil = '\u001b]0;owned\u0007\u202e';
    const [row] = activeAlertRows([alert(`A7${evil}`, 'HIGH', 's', 'm', 0, { causedBy: `A2${evil}`, nextEscalationAt: new Date(NOW + 60_000).toISOString() })]);
    expect([row!.id, row!.causedBy]).toEqual(['A7', 'A2']);
    expect(escalationQueue([alert(`A7${evil}`, 'HIGH', 's', 'm', 0, { nextEscalationAt: new Date(NOW + 60_000).toISOString() })])[0]!.id).toBe('A7');
  });

  it('queues unacknowledged alerts by the time to their next escalation', () => {
    const at = (ms: number) => new Date(NOW + ms).toISOString();
    const q = escalationQueue(
      [
        alert('A1', 'HIGH', 's', 'm', 0, { nextEscalationAt: at(600_000) }),
        alert('A2', 'CRITICAL', 's', 'm', 0, { nextEscalationAt: at(-60_000) }),
        alert('A3', 'CRITICAL', 's', 'm', 0, { nextEscalationAt: at(5000), state: 'acknowledged' }),
      ],
    );
    expect(q.map((e) => [e.id, escalationCountdownMs(e, NOW)])).toEqual([
      ['A2', -60_000],
      ['A1', 600_000],
    ]);
  });

  it('lists recent actions newest first', () => {
    const rows = recentActions([
      { at: '2025-01-29T00:00:00Z', actor: 'a', action: 'ack', target: 'A1' },
      { at: '2025-01-29T00:01:00Z', actor: 'b', action: 'snooze', target: 'A2', note: 'later' },
    ]);
    expect(rows.map((r) => r.actor)).toEqual(['b', 'a']);
  });
});

describe('symptom alerts', () => {
  it('a symptom (caused by A4) or a suppressed alert is not listed as escalating, even with a stored escalation time', () => {
    const soon = new Date(NOW + 60_000).toISOString();
    const alerts = [
      alert('A4', 'CRITICAL', 'hotel-common', 'root', 60_000, { nextEscalationAt: soon }),
      alert('A5', 'CRITICAL', 'hotel-pms', 'symptom', 30_000, { causedBy: 'A4', nextEscalationAt: soon }),
      alert('A6', 'HIGH', 'hotel-pms', 'quiet', 30_000, { suppressed: 'maintenance', nextEscalationAt: soon }),
    ];
    expect(escalationQueue(alerts).map((e) => e.id)).toEqual(['A4']);
    const rows = activeAlertRows(alerts);
    expect(escalatesInMs(rows.find((r) => r.id === 'A5')!, NOW)).toBeNull();
    expect(escalatesInMs(rows.find((r) => r.id === 'A6')!, NOW)).toBeNull();
    expect(escalatesInMs(rows.find((r) => r.id === 'A4')!, NOW)).toBe(60_000);
  });
});
