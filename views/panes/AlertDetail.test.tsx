// One alert in full (Enter in the alert center): its fields, the actions on it, its whole message
// and acknowledgement note wrapped at word boundaries and scrolled with j/k, PgUp/PgDn and g/G.
import { describe, expect, it } from 'vitest';
import { consoleScreens, inside, rightHalf, setupConsole, SIZES } from '../testing/console.js';
import { KEY } from '../testing/render.js';
import { alert, hotelCore, NOW } from '../testing/fixtures.js';

const screens = consoleScreens();

const MESSAGE =
  'pending-migrations: 2 pending migrations on the unified database; the reservation service refuses writes until 20250128_add_loyalty and 20250129_room_types are applied, so bookings made at the front desk queue up and the nightly export to the member platform stops with pending > 0 (was 2)';
const NOTE =
  'Luna is applying both migrations in the maintenance window tonight; the front desk keeps taking bookings on paper until then and the export runs again by hand tomorrow morning at seven ENDNOTE';

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

  it("shows the alert's runs from its whole history, not only from the recent actions kept in memory", async () => {
    // One run on A4, then 300 entries about other things: the console keeps only the newest 200.
    const at = (ms: number) => new Date(NOW - ms).toISOString();
    const run = {
      at: at(120_000),
      actor: 'luna',
      action: 'action-run',
      target: 'A4',
      note: 'exit 0 after 2s',
      detail: { playbook: 'conn-recovery', action: 'restart', command: ['./restart.sh', 'member'], outcome: 'succeeded', exitCode: 0, durationMs: 2000, output: 'member restarted', startedAt: at(122_000) },
    };
    const others = Array.from({ length: 300 }, (_, i) => ({ at: at(100_000 - i * 100), actor: 'imos', action: 'notify', target: `A${100 + i}` }));
    const { r } = await screens.open({ audit: [run, ...others] }, 100, 30);
    await r.press('4', 'j', 'j', KEY.enter);
    await r.waitFor('◆ HIGH A4');
    await r.press('G');
    const f = await r.waitFor('Runs (newest first)');
    expect(f).toMatch(/luna ran conn-recovery\.restart: \.\/restart\.sh member — exit 0 after 2s/);
    expect(f).toContain('  member restarted');
  });
});

for (const [columns, rows] of SIZES) {
  const grid = columns === 160;
  describe(`alert detail at ${columns}×${rows}`, () => {
    it('an alert in full: the whole message and note, wrapped at words, scrolled with j/k, PgDn, g/G', async () => {
      const core = hotelCore();
      core.alerts = [
        alert('A1', 'CRITICAL', 'hotel-common', MESSAGE, 1_200_000, {
          state: 'acknowledged',
          acknowledgedBy: 'luna',
          acknowledgedAt: new Date(NOW - 60_000).toISOString(),
          ackNote: NOTE,
        }),
      ];
      const { r } = await screens.open({ core }, columns, rows);
      await r.press('4', KEY.enter);
      await r.waitFor('(Esc: back to the list)');
      const seen = new Set<string>();
      const collect = () => inside(rightHalf(r.frame(), grid)).forEach((l) => l.split(/\s+/).forEach((w) => seen.add(w.replace(/^“|”$/g, ''))));
      collect();
      // Page down to the end, then G: everything has been on screen, no word cut in two.
      for (let i = 0; i < 6; i++) {
        await r.press('\u001B[6~');
        collect();
      }
      await r.press('G');
      collect();
      const f = rightHalf(r.frame(), grid);
      expect(f).toContain('ENDNOTE');
      for (const word of [...MESSAGE.split(' '), ...NOTE.split(' ')]) expect(seen, word).toContain(word);
      if (!grid) {
        // At 80×24 it does not fit: the last row says where it is; g goes back to the top.
        expect(f).toMatch(/\d+–\d+ of \d+ · ↑\d+ · j\/k PgDn g\/G/);
        await r.press('g');
        expect(r.frame()).toContain('pending-migrations: 2 pending');
        expect(r.frame()).toMatch(/1–\d+ of \d+ · \+\d+ more ↓/);
        await r.press('j');
        expect(r.frame()).toMatch(/2–\d+ of \d+ · ↑1/);
      }
      for (const line of r.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Active 1');
    });
  });
}
