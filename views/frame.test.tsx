import { describe, expect, it } from 'vitest';
import { consoleScreens, setupConsole, type ConsoleSetupOptions } from './testing/console.js';
import { alert, hotelCore, NOW } from './testing/fixtures.js';
import { loadConsoleData } from './model/data.js';
import { ansiLine, firstFrame, frameText } from './frame.js';
import { colorTheme, monoTheme } from './palette.js';
import { PANES } from './panes/components.js';
import { PLAIN_PANES } from './panes/registry.js';

const screens = consoleScreens();

/** The frame drawn before Ink, and Ink's first frame, for the same store and options. */
async function bothFrames(opts: ConsoleSetupOptions, columns: number, rows: number) {
  const c = setupConsole(opts);
  const data = await loadConsoleData(c.store, c.config, NOW);
  const theme = opts.color ? colorTheme : monoTheme;
  const before = firstFrame({ config: c.config, data, actor: opts.actor ?? 'suno', readonly: Boolean(opts.readonly), wallboard: Boolean(opts.wallboard), theme, columns, rows, nowMs: NOW });
  const r = await screens.render(c.app, columns, rows);
  const ink = await r.waitFor('Integration completion');
  return { before, text: frameText(before), ink: ink.split('\n').map((l) => l.trimEnd()) };
}

describe('the first frame drawn before Ink', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [160, 48],
  ] as const) {
    it(`has the text of Ink's first frame at ${columns}×${rows}: header, panes at the same sizes, footer`, async () => {
      const { text, ink } = await bothFrames({}, columns, rows);
      expect(text).toEqual(ink);
      expect(text.length).toBe(rows - 1);
      expect(text.join('\n')).toMatch(/Integration completion/);
    });
  }

  it('read-only and wallboard: the header and footer say so, as Ink’s do', async () => {
    for (const opts of [{ readonly: true }, { wallboard: true }, { actor: 'stranger' }]) {
      const { text, ink } = await bothFrames(opts, 120, 40);
      expect(text).toEqual(ink);
    }
    expect((await bothFrames({ wallboard: true }, 80, 24)).text.at(-1)).toBe('wallboard · read-only · cycles the panes');
  });

  it('text from monitored systems is sanitised: no terminal controls reach the screen', async () => {
    const core = hotelCore();
    core.alerts.push(alert('A9', 'CRITICAL', 'hotel-pms', 'evil \u001b]0;pwned\u0007\u001b[2J title \u009b31m', 60_000));
    const { before, text, ink } = await bothFrames({ core, color: true }, 160, 48);
    expect(text).toEqual(ink);
    const ansi = before.map((l) => ansiLine(l, colorTheme)).join('\n');
    // Only colour (SGR) sequences: no title change, no clear, no C1 control.
    expect(ansi.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text.join('\n')).toContain('A9');
  });

  it('NO_COLOR: monochrome draws no colour, only emphasis; colour draws the palette', async () => {
    const { before } = await bothFrames({}, 120, 40);
    const mono = before.map((l) => ansiLine(l, monoTheme)).join('\n');
    expect(mono).not.toMatch(/\u001b\[(?:3\d|9\d|38;)/);
    expect(mono).toMatch(/\u001b\[1m/);
    expect(before.map((l) => ansiLine(l, colorTheme)).join('\n')).toMatch(/\u001b\[36(?:;1)?m/);
  });

  it('a terminal too small says so, as the console does', async () => {
    const c = setupConsole();
    const data = await loadConsoleData(c.store, c.config, NOW);
    const text = frameText(firstFrame({ config: c.config, data, actor: 'suno', readonly: false, wallboard: false, theme: monoTheme, columns: 50, rows: 10, nowMs: NOW }));
    expect(text).toEqual(['terminal too small (need 60×16)', 'now 50×10 · q quits']);
  });

  it('draws the registry’s panes, in its order', () => {
    expect(PLAIN_PANES.map((p) => [p.id, p.title])).toEqual(PANES.map((p) => [p.id, p.title]));
  });
});
