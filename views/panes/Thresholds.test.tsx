import { describe, expect, it } from 'vitest';
import { consoleScreens, rightHalf, SIZES, setupConsole } from '../testing/console.js';
import { KEY } from '../testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`a check short of its failure threshold (${columns}×${rows})`, () => {
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
