import { describe, expect, it } from 'vitest';
import { alert, NOW } from '../testing/fixtures.js';
import { incidentRows } from './incidents.js';

const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const HOUR = 3_600_000;

describe('incident history', () => {
  it('lists resolved alerts of the window newest first, with duration, who acknowledged and resolved, and the notes', () => {
    const hot = [
      alert('A1', 'CRITICAL', 'hotel-pms', 'pms-api: 503', 5 * HOUR, {
        state: 'resolved',
        resolvedAt: iso(-4 * HOUR),
        acknowledgedBy: 'luna',
        acknowledgedAt: iso(-4.5 * HOUR),
        ackNote: 'restarting the PMS',
      }),
      alert('A2', 'HIGH', 'hotel-saas', 'backlog', 2 * HOUR, { state: 'resolved', resolvedAt: iso(-HOUR), resolvedBy: 'sun' }),
      alert('A3', 'HIGH', 'hotel-saas', 'still open', HOUR),
      alert('A4', 'MEDIUM', 'hotel-pms', 'too old', 40 * 24 * HOUR, { state: 'resolved', resolvedAt: iso(-31 * 24 * HOUR) }),
    ];
    const archived = [
      alert('A0', 'HIGH', 'hotel-common', 'archived \u001b[31mred', 10 * 24 * HOUR, { state: 'resolved', resolvedAt: iso(-9 * 24 * HOUR) }),
      // The same alert in both: the hot copy wins.
      { ...hot[1]!, message: 'stale copy' },
    ];
    const audit = [
      { at: iso(-4.5 * HOUR), actor: 'luna', action: 'ack', target: 'A1', note: 'restarting the PMS' },
      { at: iso(-4.2 * HOUR), actor: 'luna', action: 'note', target: 'A1', note: 'disk full on pms-1' },
      { at: iso(-HOUR), actor: 'sun', action: 'resolve', target: 'A2' },
    ];
    const rows = incidentRows(hot, archived, audit, NOW);
    expect(rows.map((r) => r.id)).toEqual(['A2', 'A1', 'A0']);
    expect(rows[0]).toMatchObject({ message: 'backlog', durationMs: HOUR, resolvedBy: 'sun', acknowledgedBy: null, notes: [] });
    expect(rows[1]).toMatchObject({ durationMs: HOUR, acknowledgedBy: 'luna', resolvedBy: null });
    // The ack note once (it is both on the alert and in the audit log), then the later note.
    expect(rows[1]!.notes.map((n) => n.text)).toEqual(['restarting the PMS', 'disk full on pms-1']);
    expect(rows[2]!.message).toBe('archived red');
  });

  it('keeps the note on the alert when the audit log read does not reach back to it', () => {
    const hot = [alert('A1', 'HIGH', 'hotel-pms', 'x', HOUR, { state: 'resolved', resolvedAt: iso(0), acknowledgedBy: 'luna', acknowledgedAt: iso(-HOUR / 2), ackNote: 'on it' })];
    expect(incidentRows(hot, [], [], NOW)[0]!.notes).toEqual([{ at: iso(-HOUR / 2), actor: 'luna', action: 'ack', text: 'on it' }]);
  });
});
