import { describe, expect, it } from 'vitest';
import { absoluteFrame } from './frame-stdout.js';

describe('absoluteFrame', () => {
  it('replaces the relative move back to the frame top with cursor-home, and clears below', () => {
    // What Ink 6.8 writes for an incremental repaint: up 38 rows, line 1 unchanged, line 2 new.
    const chunk = '\u001b[38A\u001b[E\u001b[1Gnew line two\u001b[K\n';
    expect(absoluteFrame(chunk)).toBe('\u001b[H\u001b[E\u001b[1Gnew line two\u001b[K\n\u001b[J');
  });

  it('turns an erase-only write (Ink clear) into a clear from the top', () => {
    expect(absoluteFrame('\u001b[2K\u001b[1A\u001b[2K\u001b[G')).toBe('\u001b[H\u001b[J');
  });

  it('writes a first frame from the top-left cell', () => {
    expect(absoluteFrame('line 1\nline 2\n')).toBe('\u001b[Hline 1\nline 2\n\u001b[J');
  });

  it('passes cursor show/hide and synchronized-output markers through', () => {
    for (const s of ['\u001b[?25l', '\u001b[?25h', '\u001b[?2026h', '\u001b[?2026l', '']) expect(absoluteFrame(s)).toBe(s);
  });
});
