import { afterEach, describe, expect, it } from 'vitest';
import { setupConsole, SIZES } from '../testing/console.js';
import { renderAt, type Rendered } from '../testing/render.js';

let r: Rendered | null = null;
afterEach(async () => {
  await r?.unmount();
  r = null;
});

for (const [columns, rows] of SIZES) {
  describe(`overview pane at ${columns}×${rows}`, () => {
    const grid = columns === 160;

    it('overview: completion, connections, open alerts, timeline', async () => {
      const { app } = setupConsole();
      r = await renderAt(app, columns, rows);
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
