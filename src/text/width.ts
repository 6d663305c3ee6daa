// Display width of a text in terminal cells (CJK and emoji take two). Most of what imos prints is
// one cell a character: ASCII, Latin letters, dashes and punctuation ("200 OK — expected …"),
// arrows, box drawing. That is measured by its length, without string-width (12 µs a cell: a
// table of 10,000 checks spent over a second in it). Short texts that are not (a status glyph and
// its indent, in every row of a table) are measured once.
import stringWidthOf from 'string-width';

// Characters string-width counts as one cell each (width.test.ts holds them to it); not soft
// hyphens, bidi controls, line separators or the emoji among the geometric shapes.
const PLAIN = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc\u25ff]*$/;
const SHORT = 16;
const shortWidths = new Map<string, number>();

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
