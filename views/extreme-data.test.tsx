// The console with extreme data: thousands of alerts, hundreds of systems, long names.
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleApp } from './App.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { memoryActions } from './testing/memory-actions.js';
import { alert, hotelConfig, hotelCore, hotelResults, NOW } from './testing/fixtures.js';
import { renderAt, type Rendered } from './testing/render.js';
import { monoTheme } from './theme.js';
import type { CoreData } from '../src/store/types.js';
import { CPU_BOUND_MS } from '../test/helpers/bounds.js';

let r: Rendered | null = null;
afterEach(async () => {
  await r?.unmount();
  r = null;
});

function app(core: CoreData) {
  const config = hotelConfig();
  const store = new MemoryStore({ core, results: hotelResults() });
  const now = () => NOW;
  const actions = memoryActions(store, config, 'suno', now);
  return (
    <ConsoleApp config={config} store={store} actions={actions} actor="suno" now={now} tick={false} theme={monoTheme} onQuit={() => undefined} />
  );
}

describe('console with extreme data', () => {
  it('10,000 alerts: the alert center shows whole ids (A10000), which imos ack takes', async () => {
    const core = hotelCore();
    core.alerts = Array.from({ length: 10_000 }, (_, i) =>
      alert(`A${i + 1}`, 'CRITICAL', 'hotel-pms', `failure number ${i + 1}`, (i + 1) * 60_000, { escalationLevel: 0, nextEscalationAt: i === 9_999 ? new Date(NOW + 600_000).toISOString() : null }),
    );
    core.nextAlertNumber = 10_001;
    for (const [columns, rows] of [
      [80, 24],
      [160, 48],
    ] as const) {
      r = await renderAt(app(core), columns, rows);
      await r.waitFor('Integration completion');
      await r.press('4');
      const f = await r.waitFor('Active 10000');
      // The oldest first: A10000 opened 10,000 minutes ago.
      expect(f).toMatch(/CRIT\w* +A10000 /);
      expect(f).not.toContain('A100…');
      expect(f).toMatch(/A10000 +hotel-pms +level 1/);
      for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
      await r.unmount();
      r = null;
    }
  }, CPU_BOUND_MS);
});

describe('alert detail with a Japanese message', () => {
  it('wraps the message by display width: every character shown once, no line wider than the pane', async () => {
    const core = hotelCore();
    const message = `データベース接続に失敗しました🔥 ${'障害が発生しています。'.repeat(6)}END`;
    core.alerts = [alert('A1', 'CRITICAL', 'hotel-pms', message, 60_000)];
    r = await renderAt(app(core), 80, 24);
    await r.waitFor('Integration completion');
    await r.press('4', '\r');
    const f = await r.waitFor('(Esc: back to the list)');
    const body = f.split('\n');
    const start = body.findIndex((l) => l.includes('(Esc: back to the list)')) + 1;
    const end = body.findIndex((l) => /state\s+open/.test(l));
    const shown = body
      .slice(start, end)
      .map((l) => l.replace(/^[║│]/, '').replace(/\s*[║│]\s*$/, ''))
      .join('');
    // Lines break at the space (word wrap) or between wide characters: nothing else is lost.
    expect(shown.replace(/\s/g, '')).toBe(message.replace(/\s/g, ''));
    for (const line of body) expect([...line].length).toBeLessThanOrEqual(80);
  }, CPU_BOUND_MS);
});
