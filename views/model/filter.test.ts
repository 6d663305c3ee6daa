// Filtering as one types: an extended filter narrows the earlier matches, Backspace gives the
// earlier matches back as they were, and rows that changed are filtered anew.
import { describe, expect, it } from 'vitest';
import { filterRows, incrementalFilter } from './filter.js';

const row = (id: string, text: string) => ({ id, search: `${id} ${text}`.toLowerCase() });
const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('incrementalFilter', () => {
  it('gives what filterRows gives at every key, the same array for a filter typed before, and new rows filtered anew', () => {
    const rows = [row('A1', 'pms timeout'), row('A2', 'crs status 503'), row('A3', 'pms status 503'), row('A4', 'Door locks')];
    const filter = incrementalFilter<(typeof rows)[number]>();
    const typed: Record<string, readonly (typeof rows)[number][]> = {};
    for (const f of ['p', 'pm', 'pms', 'pms ', 'pms s', 'pms st']) {
      typed[f] = filter(rows, f);
      expect(ids(typed[f]!)).toEqual(ids(filterRows(rows, f)));
    }
    expect(ids(typed['pms st']!)).toEqual(['A3']);
    // Backspace: the matches of the shorter filter, the very array given before.
    expect(filter(rows, 'pms s')).toBe(typed['pms s']);
    expect(filter(rows, 'pm')).toBe(typed['pm']);
    // Another branch from a kept prefix, and upper case typed.
    expect(ids(filter(rows, 'PMS T'))).toEqual(['A1']);
    expect(filter(rows, '')).toBe(rows);
    // A store change: new rows (A3 resolved, A5 new, A1's text changed) are filtered anew.
    const changed = [row('A1', 'crs timeout'), row('A2', 'crs status 503'), row('A4', 'Door locks'), row('A5', 'pms status 500')];
    expect(ids(filter(changed, 'pms s'))).toEqual(['A5']);
    expect(ids(filter(changed, 'pm'))).toEqual(['A5']);
    expect(ids(filter(changed, 'crs'))).toEqual(['A1', 'A2']);
  });

  it('keeps a bounded number of filters and still answers every one right', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(`A${i}`, `system-${i % 7} message ${i}`));
    const filter = incrementalFilter<(typeof rows)[number]>();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const f = `message ${i}`;
        expect(ids(filter(rows, f))).toEqual(ids(filterRows(rows, f)));
      }
    }
  });
});
