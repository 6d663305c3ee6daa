// Ink 6.8 positions each frame relative to where it left the cursor. With a frame one row shorter
// than the terminal (as we keep it, to avoid Ink's clear-the-whole-screen path), the incremental
// renderer moves up one row too few after the trailing newline, so every repaint lands one row
// low (measured in tmux: `top 1` drawn over `two`). On the alternate screen the frame always
// starts at the top-left cell, so this wrapper replaces a frame's relative "move back up / erase"
// prefix with an absolute cursor-home, and clears what lies below the frame after it. That also
// keeps a resize (where the terminal may have moved the cursor) from shifting the picture.
const ESC = '\u001b[';
/** Leading cursor-up / erase-line / column moves that Ink writes to get back to its frame's top. */
const RELATIVE_PREFIX = /^(?:\u001b\[(?:\d*A|2K|\d*G))+/;
/** A row's end that does not already erase the rest of the row. */
const ROW_END = /(?<!\u001b\[K)\n/g;
const PASS_THROUGH = new Set([`${ESC}?25l`, `${ESC}?25h`, `${ESC}?2026h`, `${ESC}?2026l`]);

export function absoluteFrame(chunk: string): string {
  if (chunk === '' || PASS_THROUGH.has(chunk)) return chunk;
  const body = chunk.replace(RELATIVE_PREFIX, '');
  // Only erasing (Ink's clear()): wipe the screen from the top.
  if (body === '') return `${ESC}H${ESC}J`;
  // Ink's rows lose their trailing spaces: each row also erases what is right of it (the frame
  // drawn before Ink, src/console/first-frame.ts, may have had text there).
  return `${ESC}H${body.replace(ROW_END, `${ESC}K\n`)}${ESC}J`;
}

/**
 * A view of `stdout` whose writes go through `absoluteFrame`; everything else is the stream's.
 * Once `onScreen()` says the screen was given back, writes are dropped: Ink flushes a pending frame
 * when it unmounts, which after a signal comes after the terminal is restored and would be drawn
 * over the shell's screen.
 */
export function frameStdout(stdout: NodeJS.WriteStream, onScreen: () => boolean = () => true): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (!onScreen()) {
      const done = rest.find((r): r is () => void => typeof r === 'function');
      done?.();
      return true;
    }
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    return (stdout.write as (c: string, ...r: unknown[]) => boolean)(absoluteFrame(text), ...rest);
  };
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
