import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES, lines } from './testing/console.js';
import { KEY } from './testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`help screen at ${columns}×${rows}`, () => {
    it('help lists every key from the keymap; Esc closes it', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('?');
      const f = r.frame();
      expect(f).toContain('Acknowledge (optional note)');
      expect(f).toContain('Enter today’s standup');
      expect(f).toContain('Filter the focused list');
      // Each section title sits right above its keys (in two columns too): "Systems grid" then its Enter.
      const rowsOf = lines(f).map((l) => [...l].join(''));
      const row = rowsOf.findIndex((l) => l.includes('Systems grid'));
      const col = [...rowsOf[row]!.slice(0, rowsOf[row]!.indexOf('Systems grid'))].length;
      expect([...(rowsOf[row + 1] ?? '')].slice(col).join('')).toMatch(/^ {2}Enter\s+Open the system’s checks/);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Integration completion');
    });
  });
}
