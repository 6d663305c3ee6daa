import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES } from '../testing/console.js';
import { hotelGates } from '../testing/fixtures.js';

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

describe('timeline pane with quality gates', () => {
  it("lists the selected phase's gates under the phases", async () => {
    const { r } = await screens.open({ gates: hotelGates() }, 120, 40);
    await r.press('3');
    const f = await r.waitFor('Gates to close Phase 1: unified database:');
    expect(f).toMatch(/✖ TypeScript errors 0\s+saas-typescript MEDIUM: 12 err/);
    expect(f).not.toContain('order events flowing'); // tied to no phase
  });
});
