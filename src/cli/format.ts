// Plain-text output helpers shared by the commands: aligned tables, status glyphs, ages.
import type { CheckStatus } from '../model.js';
import { sanitizeLine } from '../text/sanitize.js';
import { formatDuration } from '../text/durations.js';
import { displayWidth } from '../text/width.js';

export { STATUS_GLYPH } from '../text/glyphs.js';

/** Left-aligned columns; the last column is not padded. Cells are sanitised. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map((c) => sanitizeLine(c, 400)))];
  const cellWidths = all.map((row) => row.map(displayWidth));
  const widths = header.map((_, i) => cellWidths.reduce((max, row) => Math.max(max, row[i] ?? 0), 0));
  return all
    .map((row, r) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - cellWidths[r]![i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "3m ago", "2h ago", "just now" (src/text/durations.ts). */
export function age(iso: string | null | undefined, nowMs = Date.now()): string {
  return iso ? formatDuration(nowMs - Date.parse(iso), 'ago') : '–';
}

export { formatValue } from '../text/values.js';
