import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES, lines, rightHalf } from '../testing/console.js';
import { KEY } from '../testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`systems pane at ${columns}×${rows}`, () => {
    const grid = columns === 160;

    it('systems grid: worst first with glyph, leader, checks and worst alert; Enter opens the checks', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('2');
      const f = rightHalf(r.frame(), grid);
      const common = lines(f).find((l) => l.includes('hotel-common'))!;
      // Columns widen into the free space: the leader's whole name, the whole "latency" header.
      expect(common).toMatch(/✖ hotel-common\s+Integration manager\s+1\/3\s+A2 CRITICAL/);
      expect(f).toMatch(/system\s+leader\s+chk\s+alert\s+last\s+latency/);
      const member = lines(f).find((l) => l.includes('hotel-member'))!;
      expect(member).toMatch(/◆ hotel-member\s+Suno\s+0\/1\s+A4 HIGH/);
      // hotel-common is the worst system: first row, selected.
      await r.press(KEY.enter);
      await r.waitFor('checks (Esc closes)');
      const d = rightHalf(r.frame(), grid);
      expect(d).toContain('hotel-common — Unified platform');
      expect(d).toMatch(/✓ ok\s+unified-db/);
      expect(d).toMatch(/✖ CRITICAL\s*pending-migrations/);
      // The first check is selected: move to pending-migrations and see its detail.
      await r.press('j');
      const d2 = rightHalf(r.frame(), grid);
      expect(d2).toContain('20250128_add_loyalty');
      expect(d2).toContain('2 pending migrations');
      await r.press('j');
      expect(r.frame()).toContain('public.room_types');
      await r.press(KEY.esc);
      expect(r.frame()).not.toContain('checks (Esc closes)');
    });

    it('filter in the systems grid: the pane counts what it shows, in the singular for one', async () => {
      const { r } = await screens.open({}, columns, rows);
      expect(r.frame()).toMatch(/\b4 systems\b/);
      await r.press('2', '/');
      await r.type('hotel-pms');
      await r.press(KEY.enter);
      const f = await r.waitFor('filter: hotel-pms');
      expect(f).toMatch(/\b1 system\b/);
      expect(f).not.toMatch(/\b1 systems\b/);
    });

    it('/ in a system’s checks filters the checks, with the count, and leaves the grid behind alone', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('2', KEY.enter);
      await r.waitFor('checks (Esc closes)');
      await r.press('/');
      await r.type('migrations');
      let f = rightHalf(r.frame(), grid);
      expect(f).toContain('filter: migrations — 1 of 3');
      expect(f).toMatch(/✖ CRITICAL\s*pending-migrations/);
      expect(f).not.toMatch(/✓ ok\s+unified-db/);
      // The selection is the one match: its detail shows below.
      expect(f).toContain('2 pending migrations');
      // The grid behind is not filtered: the pane still counts 4 systems.
      expect(r.frame()).toMatch(/\b4 systems\b/);
      expect(r.frame()).not.toContain('1 system');
      // Enter keeps the filter; Esc clears it (all three checks again), Esc again closes the list.
      await r.press(KEY.enter, KEY.esc);
      f = rightHalf(r.frame(), grid);
      expect(f).not.toContain('filter:');
      expect(f).toMatch(/✓ ok\s+unified-db/);
      expect(f).toContain('checks (Esc closes)');
      await r.press(KEY.esc);
      f = rightHalf(r.frame(), grid);
      expect(f).not.toContain('checks (Esc closes)');
      expect(f).not.toContain('filter:');
      for (const id of ['hotel-common', 'hotel-pms', 'hotel-saas', 'hotel-member']) expect(f).toContain(id);
    });
  });
}

describe('the systems grid’s columns', () => {
  it('are as wide as their values while there is room, and give way before the latency header is cut', async () => {
    const { systemColumns } = await import('./SystemsPane.js');
    expect(systemColumns(78, ['hotel-common', 'hotel-pms'], ['Integration manager', 'Luna'])).toEqual({ nameW: 12, leaderW: 19, sparkW: 18 });
    const narrow = systemColumns(56, ['hotel-common'], ['Integration manager']);
    expect(narrow.sparkW).toBe(7);
    expect(narrow.leaderW).toBeLessThan(19);
    expect(narrow.nameW).toBe(12);
    // Very narrow: both give way to their minimum, the sparkline takes what is left.
    expect(systemColumns(44, ['hotel-common-platform'], ['Integration manager'])).toMatchObject({ nameW: 10, leaderW: 8 });
  });
});
