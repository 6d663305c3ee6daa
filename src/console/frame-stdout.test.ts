import { describe, expect, it } from 'vitest';
import { absoluteFrame, frameStdout } from './frame-stdout.js';

describe('absoluteFrame', () => {
  it('replaces the relative move back to the frame top with cursor-home, and clears below', () => {
    // What Ink 6.8 writes for an incremental repaint: up 38 rows, line 1 unchanged, line 2 new.
    const chunk = '\u001b[38A\u001b[E\u001b[1Gnew line two\u001b[K\n';
    expect(absoluteFrame(chunk)).toBe('\u001b[H\u001b[E\u001b[1Gnew line two\u001b[K\n\u001b[J');
  });

  it('turns an erase-only write (Ink clear) into a clear from the top', () => {
    expect(absoluteFrame('\u001b[2K\u001b[1A\u001b[2K\u001b[G')).toBe('\u001b[H\u001b[J');
  });

  it('writes a first frame from the top-left cell, each row erasing what was right of it', () => {
    expect(absoluteFrame('line 1\nline 2\n')).toBe('\u001b[Hline 1\u001b[K\nline 2\u001b[K\n\u001b[J');
  });

  it('passes cursor show/hide and synchronized-output markers through', () => {
    for (const s of ['\u001b[?25l', '\u001b[?25h', '\u001b[?2026h', '\u001b[?2026l', '']) expect(absoluteFrame(s)).toBe(s);
  });
});

describe('frameStdout', () => {
  it('draws frames from the top-left while the console has the screen, and nothing once it is given back', () => {
    const written: string[] = [];
    const stdout = { columns: 80, write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    let onScreen = true;
    const out = frameStdout(stdout, () => onScreen);
    out.write('frame 1\n');
    onScreen = false;
    let flushed = false;
    // Ink's last frame on unmount, after a signal restored the terminal: dropped, its callback still called.
    out.write('\u001b[2A\u001b[2Kframe 2\n', () => (flushed = true));
    expect(written).toEqual(['\u001b[Hframe 1\u001b[K\n\u001b[J']);
    expect(flushed).toBe(true);
    expect(out.columns).toBe(80);
  });
});
