import { describe, expect, it } from 'vitest';
import { hourOf } from '../../src/engine/uptime.js';
import { hotelConfig, hotelResults, NOW } from '../testing/fixtures.js';
import { uptimeLabel, uptimeRows } from './uptime.js';

describe('uptime rows', () => {
  it('one row per configured check, unknown where it never ran', () => {
    const results = { ...hotelResults(), uptime: [{ id: 'x', checkId: 'member-api', hour: hourOf(NOW), ok: 119, total: 120 }] };
    const rows = uptimeRows(hotelConfig(), results, NOW);
    expect(rows.map((r) => r.checkId)).toEqual(hotelConfig().checks.map((c) => c.id));
    const member = rows.find((r) => r.checkId === 'member-api')!;
    expect(member).toMatchObject({ system: 'hotel-member', status: 'HIGH', day: { ok: 119, total: 120 } });
    expect(uptimeLabel(member.day)).toBe('99.17%');
    expect(uptimeLabel(rows.find((r) => r.checkId === 'unified-db')!.week)).toBe('–');
  });

  it('labels: a near miss never shows as 100 %', () => {
    expect(uptimeLabel({ ratio: 1, ok: 1, total: 1 })).toBe('100%');
    expect(uptimeLabel({ ratio: 99_999 / 100_000, ok: 99_999, total: 100_000 })).toBe('99.99%');
    expect(uptimeLabel({ ratio: 0.5, ok: 1, total: 2 })).toBe('50.0%');
    expect(uptimeLabel({ ratio: 0, ok: 0, total: 2 })).toBe('0%');
  });
});
