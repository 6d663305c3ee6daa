import { describe, expect, it } from 'vitest';
import { consoleScreens, SIZES, lines } from './testing/console.js';
import { KEY } from './testing/render.js';

const screens = consoleScreens();

for (const [columns, rows] of SIZES) {
  describe(`help screen at ${columns}×${rows}`, () => {
    it('help lists every key from the keymap; Esc closes it', async () => {
      const { r } = await screens.open({}, columns, rows);
      await r.press('?');
      const f = r.frame();
      expect(f).toContain('Acknowledge (optional note)');
      expect(f).toContain('Enter today’s standup');
      expect(f).toContain('Filter the focused list');
      // Each section title sits right above its keys (in two columns too): "Systems grid" then its Enter.
      const rowsOf = lines(f).map((l) => [...l].join(''));
      const row = rowsOf.findIndex((l) => l.includes('Systems grid'));
      const col = [...rowsOf[row]!.slice(0, rowsOf[row]!.indexOf('Systems grid'))].length;
      expect([...(rowsOf[row + 1] ?? '')].slice(col).join('')).toMatch(/^ {2}Enter\s+Open the system’s checks/);
      await r.press(KEY.esc);
      expect(r.frame()).toContain('Integration completion');
    });
  });
}

describe('a help longer than the screen', () => {
  it('at 80×24 it says where it is and scrolls with j/k, PgDn, g/G to its last line; at 160×48 it all fits', async () => {
    const { r } = await screens.open({}, 80, 24);
    await r.press('?');
    let f = r.frame();
    const position = /1–(\d+) of (\d+) · \+(\d+) more ↓ · j\/k PgDn g\/G/.exec(f);
    expect(position).not.toBeNull();
    const total = Number(position![2]);
    // Every line is seen on the way down, the command line's last entry at the bottom.
    const seen = new Set(lines(f).flatMap((l) => l.split(/\s{2,}|║/)).map((t) => t.trim()));
    for (let i = 0; i < total; i++) {
      await r.press('j');
      lines(r.frame()).forEach((l) => l.split(/\s{2,}|║/).forEach((t) => seen.add(t.trim())));
    }
    f = r.frame();
    expect(f).toMatch(new RegExp(`\\d+–${total} of ${total} · ↑\\d+ · j/k PgDn g/G`));
    for (const text of ['Acknowledge (optional note)', 'Go to the bottom', 'Full screen (zoom) on / off', 'Command line', ':q']) {
      expect([...seen].some((t) => t.startsWith(text)), text).toBe(true);
    }
    await r.press('g');
    expect(r.frame()).toMatch(/1–\d+ of \d+ · \+\d+ more ↓/);
    await r.press('G');
    expect(r.frame()).toMatch(new RegExp(`–${total} of ${total}`));
    await r.press(KEY.esc);
    expect(r.frame()).toContain('Integration completion');

    const big = await screens.open({}, 160, 48);
    await big.r.press('?');
    expect(big.r.frame()).not.toMatch(/ of \d+ · .*j\/k PgDn g\/G/);
    expect(big.r.frame()).toContain('Command line');
  });
});
