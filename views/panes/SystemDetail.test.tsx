// The checks of one system (Enter in the systems pane) and one check in full: its message, its kind's
// detail as tables (errors per file, codes), scrolled with j/k, PgUp/PgDn and g/G; and a check short
// of its failure threshold said to be on its way to alerting, not ok.
import { describe, expect, it } from 'vitest';
import { checkState, hotelResults } from '../testing/fixtures.js';
import { consoleScreens, inside, rightHalf, setupConsole, SIZES } from '../testing/console.js';
import { KEY } from '../testing/render.js';

const screens = consoleScreens();

const TS_DETAIL = {
  errors: 40,
  files: 12,
  byFile: Array.from({ length: 12 }, (_, i) => ({ file: `src/module-${i + 1}/handlers.ts`, errors: 12 - i })),
  codes: [
    { code: 'TS2322', count: 20, example: "Type 'string' is not assignable to type 'number'." },
    { code: 'TS2339', count: 15, example: "Property 'total' does not exist on type 'Order'." },
    { code: 'TS2304', count: 5, example: "Cannot find name 'roomRate'." },
  ],
  tsconfig: 'tsconfig.json',
  tsc: '/srv/saas/node_modules/typescript/bin/tsc',
  durationMs: 2100,
};

for (const [columns, rows] of SIZES) {
  const grid = columns === 160;
  describe(`system detail at ${columns}×${rows}`, () => {
    it('a check in full: its message, errors per file and the commonest codes as tables, scrolled to the end', async () => {
      const results = hotelResults();
      results.checks['saas-typescript'] = checkState(
        'saas-typescript',
        'hotel-saas',
        'typescript',
        'HIGH',
        40,
        '40 errors in 12 files (TS2322 ×20, TS2339 ×15, TS2304 ×5) — HIGH: errors > 0 (was 40)',
        TS_DETAIL,
      );
      const { r } = await screens.open({ results }, columns, rows);
      // hotel-saas is the last system; its typescript check is the second.
      await r.press('2', 'G', KEY.enter, 'j');
      let f = rightHalf(r.frame(), grid);
      expect(f).toContain('hotel-saas — Orders SaaS · checks');
      if (!grid) expect(f).toMatch(/Enter: the whole detail \(\d+ more lines\)/);
      await r.press(KEY.enter);
      f = rightHalf(r.frame(), grid);
      expect(f).toContain('saas-typescript (Esc: back to the checks)');
      // The whole message, at word boundaries.
      expect(inside(f).join(' ').replace(/\s+/g, ' ')).toContain('40 errors in 12 files (TS2322 ×20, TS2339 ×15, TS2304 ×5) — HIGH: errors > 0 (was 40)');
      // Figures as fields, errors per file as a table with a header and figures right-aligned.
      expect(f).toMatch(/errors +40/);
      expect(f).toMatch(/by file \(12\)/);
      expect(f).toMatch(/file +errors/);
      expect(f).toMatch(/src\/module-1\/handlers\.ts +12/);
      expect(f).not.toMatch(/byFile|• file:/);
      await r.press('G');
      f = rightHalf(r.frame(), grid);
      expect(f).toMatch(/codes \(3\)/);
      expect(f).toMatch(/code +count +example/);
      expect(f).toMatch(/TS2304 +5 +Cannot find name 'roomRate'\./);
      expect(f).toMatch(/src\/module-12\/handlers\.ts +1/);
      if (!grid) expect(f).toMatch(/\d+–\d+ of \d+ · ↑\d+/);
      await r.press('g');
      expect(rightHalf(r.frame(), grid)).toMatch(/HIGH +saas-typescript \(typescript\)/);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('hotel-saas — Orders SaaS · checks');
      await r.press(KEY.esc);
      expect(r.frame()).toMatch(/system +leader/);
    });

    it('its system’s checks say "failing 1 of 2 before alerting", not ok', async () => {
      const c = setupConsole();
      // unified-db failed once (CRITICAL) after passing: its effective status is still ok.
      await c.store.transact('results', (tx) => {
        const rec = tx.edit('checks', 'unified-db');
        rec.failures = 1;
        rec.successes = 0;
        rec.last = { ...rec.last!, runStatus: 'CRITICAL', status: 'ok', message: 'connection refused' };
      });
      const r = await screens.render(c.app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('2', KEY.enter);
      await r.waitFor('checks (Esc closes)');
      const f = rightHalf(r.frame(), columns === 160);
      expect(f).toMatch(/✓ ok\s+unified-db .*failing 1 of 2 before alerting/);
      // Its detail (the first check is selected) says it on a line of its own.
      expect(f).toMatch(/^[║│ ]*failing 1 of 2 before alerting \(CRITICAL\)/m);
    });
  });
}
