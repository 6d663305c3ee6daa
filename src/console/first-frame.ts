// The console's first full frame, drawn before Ink and React load (loading them alone takes several
// times a bare `node` start): the screen Ink draws first (views/frame.ts: the same header, panes,
// figures and sizes), from the store's first read, on the alternate screen the skeleton entered.
// Ink then draws over it; its rows erase what they leave (frame-stdout.ts).
import type { ImosConfig } from '../config/types.js';
import { ansiLine, firstFrame } from '../../views/frame.js';
import type { ConsoleData } from '../../views/model/data.js';
import type { Theme } from '../../views/palette.js';
import type { ConsoleMode } from './mode.js';

const ESC = '\u001b[';

export interface FirstFrameInput {
  config: ImosConfig;
  data: ConsoleData;
  mode: ConsoleMode;
  theme: Theme;
  banner?: string | null;
  storeError?: string | null;
}

/** Draw the frame over the whole screen from its top-left cell, at the terminal's size. */
export function drawFirstFrame(stdout: NodeJS.WriteStream, input: FirstFrameInput): void {
  const lines = firstFrame({
    config: input.config,
    data: input.data,
    actor: input.mode.actor,
    readonly: input.mode.readonly,
    wallboard: input.mode.wallboard,
    theme: input.theme,
    columns: stdout.columns || 80,
    rows: stdout.rows || 24,
    nowMs: Date.now(),
    banner: input.banner ?? null,
    storeError: input.storeError ?? null,
  });
  // Each row erases what was right of it (the skeleton's header), and the screen below the last.
  stdout.write(`${ESC}?25l${ESC}H${lines.map((l) => `${ansiLine(l, input.theme)}${ESC}K`).join('\r\n')}${ESC}J`);
}
