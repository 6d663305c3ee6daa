// A pane's lines are built anew at every render and a line that reads and looks as before is not
// drawn again (StyledLine is memoised on its spans): a line whose text, colour, emphasis or
// selection changed is drawn anew all the same.
import { describe, expect, it, vi } from 'vitest';

// Colour on, as in a terminal: Ink's chalk reads it as it loads, before the imports below.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { useInput } from 'ink';
import { useState } from 'react';
import { renderAt } from '../testing/render.js';
import { colorTheme, ThemeContext } from '../theme.js';
import { colored, marked, plain, sameLine, tone, type Line } from '../styled.js';
import { StyledLines } from './StyledLines.js';

interface Rows {
  message: string;
  selected: number;
  token: 'warn' | 'critical';
  bold: boolean;
}

/** Three alert-like rows, built anew (new arrays, new spans) at every render, as the panes do. */
function linesOf(rows: Rows): Line[] {
  return [0, 1, 2].map((i) =>
    marked([tone(i === 2 ? rows.token : 'ok', `A${i + 1}`, i === 2 ? rows.bold : undefined), plain(' '), colored('muted', i === 0 ? rows.message : `message ${i + 1}`)], { inverse: rows.selected === i }),
  );
}

function Lines() {
  const [rows, setRows] = useState<Rows>({ message: 'status 503', selected: 0, token: 'warn', bold: false });
  useInput((input) => {
    if (input === 'm') setRows((r) => ({ ...r, message: 'status 200' }));
    if (input === 'j') setRows((r) => ({ ...r, selected: r.selected + 1 }));
    if (input === 'c') setRows((r) => ({ ...r, token: 'critical' }));
    if (input === 'b') setRows((r) => ({ ...r, bold: true }));
    if (input === 'n') setRows((r) => ({ ...r })); // the same rows, built again
  });
  return (
    <ThemeContext.Provider value={colorTheme}>
      <StyledLines lines={linesOf(rows)} />
    </ThemeContext.Provider>
  );
}

const INVERSE = '\u001b[7m';
const BOLD = '\u001b[1m';
const rawLines = (frame: string) => frame.split('\n');

describe('StyledLines', () => {
  it('draws a line again when its text, selection, colour or emphasis changes, and the same when rebuilt alike', async () => {
    const r = await renderAt(<Lines />, 40, 6);
    try {
      expect(r.frame()).toContain('A1 status 503');
      expect(rawLines(r.stdout.lastFrame())[0]).toContain(INVERSE);
      expect(rawLines(r.stdout.lastFrame())[1]).not.toContain(INVERSE);

      await r.press('m');
      expect(r.frame()).toContain('A1 status 200');
      expect(r.frame()).not.toContain('status 503');

      await r.press('j');
      expect(rawLines(r.stdout.lastFrame())[0]).not.toContain(INVERSE);
      expect(rawLines(r.stdout.lastFrame())[1]).toContain(INVERSE);

      const beforeColour = rawLines(r.stdout.lastFrame())[2]!;
      await r.press('c');
      const afterColour = rawLines(r.stdout.lastFrame())[2]!;
      expect(afterColour).not.toBe(beforeColour);
      expect(afterColour.replace(/\u001b\[[0-9;]*m/g, '')).toBe(beforeColour.replace(/\u001b\[[0-9;]*m/g, ''));

      const critical = r.stdout.lastFrame();
      await r.press('b');
      expect(r.stdout.lastFrame()).not.toBe(critical);
      expect(rawLines(r.stdout.lastFrame())[2]).toContain(BOLD);

      const drawn = r.stdout.lastFrame();
      await r.press('n');
      expect(r.stdout.lastFrame()).toBe(drawn);
    } finally {
      await r.unmount();
    }
  });

  it('tells lines with the same spans from lines that differ in any of them', () => {
    const line: Line = [tone('warn', 'A1'), plain(' x'), colored('muted', 'y')];
    expect(sameLine(line, [tone('warn', 'A1'), plain(' x'), colored('muted', 'y')])).toBe(true);
    expect(sameLine(line, [tone('warn', 'A2'), plain(' x'), colored('muted', 'y')])).toBe(false);
    expect(sameLine(line, [tone('critical', 'A1'), plain(' x'), colored('muted', 'y')])).toBe(false);
    expect(sameLine(line, [colored('warn', 'A1'), plain(' x'), colored('muted', 'y')])).toBe(false);
    expect(sameLine(line, [tone('warn', 'A1', true), plain(' x'), colored('muted', 'y')])).toBe(false);
    expect(sameLine(line, marked(line, { inverse: true }))).toBe(false);
    expect(sameLine(line, line.slice(0, 2))).toBe(false);
  });
});
