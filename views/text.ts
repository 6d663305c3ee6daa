// Fitting text into columns by display width (CJK and emoji take two cells).
import { displayWidth as stringWidth } from '../src/text/width.js';
import { onFirstUse } from '../src/on-first-use.js';

type WrapAnsi = (text: string, columns: number, options: { hard: boolean; trim: boolean }) => string;
// Loaded on first use: with its own string-width it costs the console's first frame (README: "Performance").
const wrapAnsi = onFirstUse('wrap-ansi', (module: { default: WrapAnsi }) => module.default);

const PLAIN = /^[\x20-\x7e]*$/;

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
    const w = stringWidth(ch);
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
    const w = stringWidth(chars[i]!);
    if (used + w > width - 1) break;
    out = chars[i]! + out;
    used += w;
  }
  return '…' + out;
}

/**
 * Wrap `text` into lines of at most `width` cells at word boundaries (a word longer than a line is
 * cut; CJK and emoji take two cells and are never split). Every line, for a view that scrolls.
 */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0 || !text) return [];
  return wrapAnsi()(text, width, { hard: true, trim: true }).split('\n');
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
