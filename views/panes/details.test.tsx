// Detail views read in full: an alert's whole message and acknowledgement note, wrapped at word
// boundaries; a check opened in full with its kind's detail as tables (errors per file, codes);
// both scroll with j/k, PgUp/PgDn and g/G, and say where they are.
import { describe, expect, it } from 'vitest';
import { alert, checkState, hotelCore, hotelResults, NOW } from '../testing/fixtures.js';
import { consoleScreens, SIZES, lines, rightHalf } from '../testing/console.js';
import { KEY } from '../testing/render.js';

const screens = consoleScreens();

const MESSAGE =
  'pending-migrations: 2 pending migrations on the unified database; the reservation service refuses writes until 20250128_add_loyalty and 20250129_room_types are applied, so bookings made at the front desk queue up and the nightly export to the member platform stops with pending > 0 (was 2)';
const NOTE =
  'Luna is applying both migrations in the maintenance window tonight; the front desk keeps taking bookings on paper until then and the export runs again by hand tomorrow morning at seven ENDNOTE';

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

/** The text inside the focused pane's border, one string per row. */
const inside = (frame: string) => lines(frame).map((l) => l.replace(/^.*?║/, '').replace(/║.*$/, ''));

for (const [columns, rows] of SIZES) {
  const grid = columns === 160;
  describe(`detail views at ${columns}×${rows}`, () => {
    it('an alert in full: the whole message and note, wrapped at words, scrolled with j/k, PgDn, g/G', async () => {
      const core = hotelCore();
      core.alerts = [
        alert('A1', 'CRITICAL', 'hotel-common', MESSAGE, 1_200_000, {
          state: 'acknowledged',
          acknowledgedBy: 'luna',
          acknowledgedAt: new Date(NOW - 60_000).toISOString(),
          ackNote: NOTE,
        }),
      ];
      const { r } = await screens.open({ core }, columns, rows);
      await r.press('4', KEY.enter);
      await r.waitFor('(Esc: back to the list)');
      const seen = new Set<string>();
      const collect = () => inside(rightHalf(r.frame(), grid)).forEach((l) => l.split(/\s+/).forEach((w) => seen.add(w.replace(/^“|”$/g, ''))));
      collect();
      // Page down to the end, then G: everything has been on screen, no word cut in two.
      for (let i = 0; i < 6; i++) {
        await r.press('\u001B[6~');
        collect();
      }
      await r.press('G');
      collect();
      const f = rightHalf(r.frame(), grid);
      expect(f).toContain('ENDNOTE');
      for (const word of [...MESSAGE.split(' '), ...NOTE.split(' ')]) expect(seen, word).toContain(word);
      if (!grid) {
        // At 80×24 it does not fit: the last row says where it is; g goes back to the top.
        expect(f).toMatch(/\d+–\d+ of \d+ · ↑\d+ · j\/k PgDn g\/G/);
        await r.press('g');
        expect(r.frame()).toContain('pending-migrations: 2 pending');
        expect(r.frame()).toMatch(/1–\d+ of \d+ · \+\d+ more ↓/);
        await r.press('j');
        expect(r.frame()).toMatch(/2–\d+ of \d+ · ↑1/);
      }
      for (const line of r.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Active 1');
    });

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
  });
}
