// The alert center's column widths come from what the list holds, and a list is looked at once:
// a key press redraws the same 10,000 rows, and must not scan them again for their widths.
import { describe, expect, it } from 'vitest';
import type { AlertRow } from '../model/alerts.js';
import { alertColumns } from './alerts.js';

function row(id: string, system: string): AlertRow {
  return { id, severity: 'HIGH', state: 'open', system, type: 'T', message: 'm', openedMs: 0, acknowledgedBy: null, escalatesAtMs: null, causedBy: null, snoozedUntil: null, search: '' };
}

describe('alert columns', () => {
  it('are as wide as the longest id and system, up to 20 for the system', () => {
    const list = [row('A1', 'pms'), row('A12345', 'hotel-common'), row('A2', 'a-system-with-a-very-long-name')];
    const wide = alertColumns(160, list, ['open']);
    expect(wide.idW).toBe(6);
    expect(wide.sysW).toBe(20);
    expect(alertColumns(160, [row('A1', 'pms')], ['open'])).toMatchObject({ idW: 5, sysW: 3 });
    expect(alertColumns(60, list, ['open']).sysW).toBe(0); // a narrow pane drops the column
  });

  it('read the rows of a list once, however often it is drawn', () => {
    let reads = 0;
    const list = Array.from({ length: 1000 }, (_, i) => {
      const r = row(`A${i + 1}`, `system-${i % 7}`);
      return new Proxy(r, {
        get(target, key, receiver) {
          if (key === 'id' || key === 'system') reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    });
    const first = alertColumns(120, list, ['open']);
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(alertColumns(i % 2 ? 120 : 160, list, ['open']).idW).toBe(first.idW);
    expect(reads).toBe(afterFirst);
    // Another list (the data changed, or a filter) is looked at anew.
    alertColumns(120, [...list], ['open']);
    expect(reads).toBeGreaterThan(afterFirst);
  });
});
