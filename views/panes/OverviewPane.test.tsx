import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole, SIZES } from '../testing/console.js';
import { hotelGates } from '../testing/fixtures.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`overview pane at ${columns}×${rows}`, () => {
    const grid = columns === 160;

    it('overview: completion, connections, open alerts, timeline', async () => {
      const { app } = setupConsole();
      const r = await screens.render(app, columns, rows);
      const f = await r.waitFor('Integration completion');
      expect(f).toContain('85% (11/13 tables)');
      expect(f).toContain('25% (1/4 systems)');
      expect(f).toMatch(/✖ 1 CRIT\s+◆ 2 HIGH\s+▲ 1 MED/);
      expect(f).toContain('Checks passing          2/8');
      if (grid) expect(f).toContain('Alert center');
      else expect(f).toContain('1 Overview  2 Systems  3 Timeline  4 Alert center (4)');
    });
  });
}

describe('overview pane with quality gates', () => {
  it('shows how many gates pass and names those that fail', async () => {
    const { app } = setupConsole({ gates: hotelGates() });
    const r = await screens.render(app, 120, 40);
    const f = await r.waitFor('Quality gates');
    expect(f).toContain('Quality gates           1/2 pass · ✖ code-quality');
  });
});
