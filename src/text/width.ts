// Display width of a text in terminal cells (CJK and emoji take two). Most of what imos prints is
// one cell a character: ASCII, Latin letters, dashes and punctuation ("200 OK — expected …"),
// arrows, box drawing, the status glyphs (✓ ✖ ⚠). That is measured by its length, without
// string-width (12 µs a cell: a table of 10,000 checks spent over a second in it). Short texts
// that are not (a CJK name, an emoji) are measured once.
//
// string-width itself is loaded on the first text that needs it, not with this module: loading it
// and measuring its first text (a word segmenter, Unicode emoji tables) costs more than a bare
// `node` start, and the console's first frame rarely needs it (README: "Performance").
import { onFirstUse } from '../on-first-use.js';

// Characters string-width counts as one cell each (width.test.ts holds them to it); not soft
// hyphens, bidi controls, line separators or the emoji among the geometric shapes and symbols.
const PLAIN = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc\u25ff\u2611\u2691\u26a0\u2713\u2714\u2716]*$/;
const SHORT = 16;
const shortWidths = new Map<string, number>();

const stringWidth = onFirstUse('string-width', (module: { default: (text: string) => number }) => module.default);

function stringWidthOf(text: string): number {
  return stringWidth()(text);
}

export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length;
  if (text.length > SHORT) return stringWidthOf(text);
  let width = shortWidths.get(text);
  if (width === undefined) {
    width = stringWidthOf(text);
    if (shortWidths.size < 4096) shortWidths.set(text, width);
  }
  return width;
}
