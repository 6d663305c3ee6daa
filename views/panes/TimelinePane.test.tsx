import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES } from '../testing/console.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`timeline pane at ${columns}×${rows}`, () => {
    it('timeline: phases as bars with their dates', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('3');
      const f = r.frame();
      expect(f).toContain('Phase 1: unified database');
      expect(f).toContain('01-27→02-21');
      expect(f).toMatch(/█+.*│|│.*░/);
    });
  });
}
