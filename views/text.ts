// Fitting text into columns by display width (CJK and emoji take two cells).
import stringWidthOf from 'string-width';

// Most of what the console draws is plain ASCII: measure that without string-width.
const PLAIN = /^[\x20-\x7e]*$/;
const stringWidth = (text: string): number => (PLAIN.test(text) ? text.length : stringWidthOf(text));

/** Cut `text` to at most `width` cells, with an ellipsis when cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  // Measure no more than can be shown: a long text (the names of 200 systems) measured whole
  // cost ~50 ms a frame. Only a head made mostly of zero-width characters needs the whole.
  const limit = width * 4 + 8;
  const head = text.length > limit ? text.slice(0, limit) : text;
  if (stringWidth(head) <= width && (head === text || stringWidth(text) <= width)) return text;
  if (PLAIN.test(text)) return text.slice(0, width - 1) + '…';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = stringWidthOf(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

/** Like fit, but keeps the end (`…` + the last cells): the line being typed, whose end is the cursor. */
export function fitEnd(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  const chars = [...text];
  let out = '';
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = stringWidthOf(chars[i]!);
    if (used + w > width - 1) break;
    out = chars[i]! + out;
    used += w;
  }
  return '…' + out;
}

/**
 * Cut `text` into lines of at most `width` cells (CJK and emoji take two; a character is never
 * split), at most `maxLines` of them; the last line ends in `…` when text is left over.
 */
export function wrapCells(text: string, width: number, maxLines: number): string[] {
  if (width <= 0 || maxLines <= 0) return [];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = PLAIN.test(ch) ? 1 : stringWidthOf(ch);
    if (used + w > width) {
      if (lines.length + 1 === maxLines) return [...lines, fit(line + ch, width)];
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  return lines;
}

/** Fit and pad to exactly `width` cells (right-aligned with `right`). */
export function pad(text: string, width: number, right = false): string {
  const cut = fit(text, width);
  const gap = ' '.repeat(Math.max(0, width - stringWidth(cut)));
  return right ? gap + cut : cut + gap;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of the last `width` values (empty when there are none). */
export function sparkline(values: readonly number[], width: number): string {
  const tail = values.slice(-Math.max(0, width)).filter((v) => Number.isFinite(v));
  if (tail.length === 0) return '';
  const min = Math.min(...tail);
  const max = Math.max(...tail);
  const range = max - min;
  return tail.map((v) => BARS[range === 0 ? (max === 0 ? 0 : 3) : Math.round(((v - min) / range) * (BARS.length - 1))]).join('');
}

/** A bar of `width` cells, `fraction` filled. */
export function bar(fraction: number, width: number, fill = '█', empty = '░'): string {
  const n = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return fill.repeat(n) + empty.repeat(Math.max(0, width - n));
}
