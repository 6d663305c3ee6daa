import { describe, expect, it } from 'vitest';
import { hotelConfig, hotelCore, hotelResults } from '../testing/fixtures.js';
import { filterRows } from './filter.js';
import { detailLines, systemRows } from './systems.js';

describe('systems rows', () => {
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
    // The checks that do not pass, worst first, with what they last said.
    expect(rows[0]!.failing).toEqual([
      { id: 'pending-migrations', name: 'pending-migrations', status: 'CRITICAL', message: '2 pending migrations' },
      { id: 'unified-tables', name: 'unified-tables', status: 'HIGH', message: '2 of 13 tables missing' },
    ]);
    expect(rows.find((r) => r.id === 'hotel-saas')!.failing.map((c) => c.id)).toEqual(['saas-typescript']);
  });

  it('turns check detail into readable lines', () => {
    expect(detailLines({ missing: ['a', 'b'] })).toEqual(['missing:', '  • a', '  • b']);
    expect(detailLines({ byFile: { 'src/x.ts': 3 } })).toEqual(['byFile:', '  src/x.ts: 3']);
    expect(detailLines(['x\u001b[2Jy'])).toEqual(['  • xy']);
    expect(detailLines([{ file: 'a.ts', line: 3 }])).toEqual(['  • file: a.ts, line: 3']);
  });
});
