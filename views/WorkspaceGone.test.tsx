import { describe, expect, it } from 'vitest';
import { consoleScreens, lines, setupConsole, SIZES } from './testing/console.js';
import { KEY } from './testing/render.js';
import { waitUntil } from '../test/helpers/bounds.js';

const screens = consoleScreens();
const REASON = 'the workspace is gone: /tmp/imos-demo-x/.imos was removed (did the demo end?)';

for (const [columns, rows] of SIZES) {
  describe(`a workspace removed under the console (${columns}×${rows})`, () => {
    it('says so in the header and the status line, keeps the last data, and changes nothing', async () => {
      const c = setupConsole({ gone: REASON });
      const r = await screens.render(c.app, columns, rows);
      const f = await r.waitFor('WORKSPACE GONE');
      expect(lines(f)[0]).toContain('✖ WORKSPACE GONE');
      expect(f).toContain('✖ the workspace is gone: /tmp/imos-demo-x/.imos was removed');
      if (columns >= 160) expect(f).toContain('the poller is stopped and nothing is written there; q quits');
      await r.press('4', 'a', 's');
      await r.press(':');
      await r.type('ack A1');
      await r.press(KEY.enter);
      await r.waitFor('read-only console');
      expect(c.actions.calls).toEqual([]);
      expect((await c.store.read('core')).alerts.find((a) => a.id === 'A1')!.state).toBe('open');
    });
  });
}

describe('status messages', () => {
  it('fade after a few seconds', async () => {
    const c = setupConsole({ statusFadeMs: 300 });
    const r = await screens.render(c.app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press(':');
    await r.type('ack A1');
    await r.press(KEY.enter);
    await r.waitFor('A1 acknowledged');
    // Waited for (the frame is drawn after the fade's timer fires, which a loaded machine delays).
    await waitUntil('the status to fade', async () => {
      await r.settle();
      return !r.frame().includes('A1 acknowledged');
    });
  });
});
