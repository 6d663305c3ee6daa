import { afterEach, describe, expect, it } from 'vitest';
import { setupConsole, SIZES } from '../testing/console.js';
import { renderAt, type Rendered } from '../testing/render.js';

let r: Rendered | null = null;
afterEach(async () => {
  await r?.unmount();
  r = null;
});

for (const [columns, rows] of SIZES) {
  describe(`timeline pane at ${columns}×${rows}`, () => {
    it('timeline: phases as bars with their dates', async () => {
      const { app } = setupConsole();
      r = await renderAt(app, columns, rows);
      await r.waitFor('Integration completion');
      await r.press('3');
      const f = r.frame();
      expect(f).toContain('Phase 1: unified database');
      expect(f).toContain('01-27→02-21');
      expect(f).toMatch(/█+.*│|│.*░/);
    });
  });
}
