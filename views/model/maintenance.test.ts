import { describe, expect, it } from 'vitest';
import { hotelConfig } from '../testing/fixtures.js';
import { maintenanceRows } from './maintenance.js';

describe('maintenance windows', () => {
  it('lists the active ones first, then coming one-off windows, then recurring ones; past ones are gone', () => {
    const config = hotelConfig({
      timezone: 'UTC',
      maintenance: [
        { name: 'nightly batch', systems: ['hotel-saas'], weekly: { days: ['mon', 'wed'], from: '23:00', to: '01:00' } },
        { name: 'old upgrade', systems: ['hotel-pms'], start: '2025-01-01T22:00', end: '2025-01-02T02:00' },
        { name: 'PMS upgrade', systems: ['hotel-pms'], start: '2025-02-01T22:00', end: '2025-02-02T02:00' },
        { systems: ['hotel-common'], start: '2025-01-29T00:00', end: '2025-01-29T02:00' },
      ],
    });
    // Wednesday 2025-01-29 01:00 UTC: Monday night's batch is over, Wednesday's not begun; the fourth window runs.
    const rows = maintenanceRows(config, Date.parse('2025-01-29T01:00:00Z'));
    expect(rows).toEqual([
      { name: 'window 4', systems: ['hotel-common'], schedule: '2025-01-29T00:00 → 2025-01-29T02:00 UTC', active: true, when: 'now' },
      { name: 'PMS upgrade', systems: ['hotel-pms'], schedule: '2025-02-01T22:00 → 2025-02-02T02:00 UTC', active: false, when: 'upcoming' },
      { name: 'nightly batch', systems: ['hotel-saas'], schedule: 'mon, wed 23:00–01:00 UTC', active: false, when: 'recurring' },
    ]);
    // Monday 23:30: the weekly window holds notifications.
    expect(maintenanceRows(config, Date.parse('2025-01-27T23:30:00Z'))[0]).toMatchObject({ name: 'nightly batch', when: 'now', active: true });
  });
});
