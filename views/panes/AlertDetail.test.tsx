import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole } from '../testing/console.js';
import { KEY } from '../testing/render.js';
import { NOW } from '../testing/fixtures.js';

const screens = consoleScreens();

describe('alert detail', () => {
  it('Enter in the alert center shows the alert in full; actions apply to it; Esc goes back', async () => {
    const { app, store } = setupConsole();
    await store.transact('core', (tx) => {
      tx.edit('alerts', 'A4').respondBy = new Date(NOW + 30 * 60_000).toISOString();
    });
    const r = await screens.render(app, 80, 24);
    await r.waitFor('Integration completion');
    await r.press('4', 'j', 'j', KEY.enter);
    let f = r.frame();
    expect(f).toContain('◆ HIGH A4');
    expect(f).toContain('member-api: status 503');
    expect(f).not.toContain('pwned');
    expect(f).toMatch(/escalation\s+level 0/);
    expect(f).toMatch(/respond by\s+2025-01-29 \d\d:\d\d \(in 30m\)/);
    await r.press('a', KEY.enter);
    f = await r.waitFor(/acknowledged\s+suno 2025-01-29/);
    expect(f).toContain('A4 acknowledged');
    // The response deadline stops counting down once someone has responded.
    expect(f).toMatch(/respond by\s+responded 2025-01-29 \d\d:\d\d \(0s ago\)/);
    await r.press(KEY.esc);
    expect(r.frame()).toContain('Escalation queue');
  });
});
