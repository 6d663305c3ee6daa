// Plain-text output helpers shared by the commands: aligned tables, status glyphs, ages.
import type { CheckStatus } from '../model.js';
import { sanitizeLine } from '../text/sanitize.js';
import { formatDuration } from '../text/durations.js';
import { displayWidth } from '../text/width.js';

export { STATUS_GLYPH } from '../text/glyphs.js';

/** A cell of printable ASCII words with single spaces between them: sanitising keeps it as it is, and its length is its width. */
const PLAIN_CELL = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
/** Cells are cut to this many characters. */
const MAX_CELL = 400;
const spaces: string[] = [];
const pad = (n: number): string => (spaces[n] ??= ' '.repeat(n));

/**
 * Left-aligned columns; the last column is not padded. Cells are sanitised. A status table has
 * 10,000 rows: a plain cell (most of them) is taken as it is, any other is sanitised and measured
 * once per text, and each line is built in one go.
 */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map(displayWidth);
  const texts: string[][] = new Array(rows.length);
  const cellWidths: number[][] = new Array(rows.length);
  const others = new Map<unknown, { text: string; width: number }>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const rowTexts: string[] = new Array(row.length);
    const rowWidths: number[] = new Array(row.length);
    for (let i = 0; i < row.length; i++) {
      const cell: unknown = row[i];
      let text: string;
      let width: number;
      if (typeof cell === 'string' && cell.length <= MAX_CELL && PLAIN_CELL.test(cell)) {
        text = cell;
        width = cell.length;
      } else {
        let known = others.get(cell);
        if (!known) {
          const clean = sanitizeLine(cell, MAX_CELL);
          known = { text: clean, width: displayWidth(clean) };
          if (others.size < 4096) others.set(cell, known);
        }
        text = known.text;
        width = known.width;
      }
      rowTexts[i] = text;
      rowWidths[i] = width;
      if (i < widths.length && width > widths[i]!) widths[i] = width;
    }
    texts[r] = rowTexts;
    cellWidths[r] = rowWidths;
  }
  const lines: string[] = new Array(rows.length + 1);
  lines[0] = tableLine(header, header.map(displayWidth), widths);
  for (let r = 0; r < rows.length; r++) lines[r + 1] = tableLine(texts[r]!, cellWidths[r]!, widths);
  return lines.join('\n');
}

/** One line of a table: each cell but the last padded to its column's width, two spaces between. */
function tableLine(cells: readonly string[], cellWidths: readonly number[], widths: readonly number[]): string {
  let line = '';
  const last = cells.length - 1;
  for (let i = 0; i <= last; i++) {
    if (i > 0) line += '  ';
    line += cells[i];
    if (i < last) {
      const missing = widths[i]! - cellWidths[i]!;
      if (missing > 0) line += pad(missing);
    }
  }
  return line.trimEnd();
}

/** "3m ago", "2h ago", "just now" (src/text/durations.ts). */
export function age(iso: string | null | undefined, nowMs = Date.now()): string {
  return iso ? formatDuration(nowMs - Date.parse(iso), 'ago') : '–';
}

export { formatValue } from '../text/values.js';
