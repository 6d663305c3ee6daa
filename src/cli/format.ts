// Plain-text output helpers shared by the commands: aligned tables, status glyphs, ages.
import stringWidth from 'string-width';
import type { CheckStatus } from '../model.js';
import { sanitizeLine } from '../text/sanitize.js';

export { STATUS_GLYPH } from '../text/glyphs.js';

/** Left-aligned columns; the last column is not padded. Cells are sanitised. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map((c) => sanitizeLine(c, 400)))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => stringWidth(r[i] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - stringWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "3m ago", "2h ago", "just now". */
export function age(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return '–';
  const seconds = Math.round((nowMs - Date.parse(iso)) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

export { formatValue } from '../text/values.js';
