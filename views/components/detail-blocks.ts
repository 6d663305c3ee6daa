// A check kind's detail blocks (views/model/systems.ts detailBlocks) as lines of a text view:
// fields as "label  value", lists of names as bullets, tables with a header and columns sized to
// their content (figures right-aligned; the widest column gives way when the pane is narrow).
import { displayWidth } from '../../src/text/width.js';
import type { DetailBlock } from '../model/systems.js';
import { pad, wrapWords } from '../text.js';
import type { TextLine } from './ScrollText.js';

const NUMBER = /^-?[\d.,]+%?$/;

export function detailBlockLines(blocks: readonly DetailBlock[], width: number): TextLine[] {
  const out: TextLine[] = [];
  for (const block of blocks) {
    if (out.length > 0) out.push({ text: '' });
    if (block.kind === 'fields') {
      const labelW = Math.min(16, Math.max(...block.rows.map(([k]) => displayWidth(k))) + 2);
      for (const [k, v] of block.rows) {
        wrapWords(v, Math.max(10, width - labelW)).forEach((text, i) => out.push({ text: (i === 0 ? pad(k, labelW) : ' '.repeat(labelW)) + text }));
      }
    } else if (block.kind === 'list') {
      if (block.title) out.push({ text: `${block.title} (${block.items.length})`, bold: true });
      for (const item of block.items) wrapWords(item, Math.max(10, width - 2)).forEach((text, i) => out.push({ text: (i === 0 ? '• ' : '  ') + text }));
    } else {
      if (block.title) out.push({ text: `${block.title} (${block.rows.length})`, bold: true });
      const widths = columnWidths(block.columns, block.rows, width);
      const numeric = block.columns.map((_, c) => block.rows.length > 0 && block.rows.every((r) => NUMBER.test(r[c] ?? '')));
      const line = (cells: readonly string[]) => cells.map((v, c) => pad(v, widths[c]!, numeric[c])).join('  ').trimEnd();
      out.push({ text: line(block.columns), tone: 'muted' });
      const last = block.columns.length - 1;
      for (const row of block.rows) {
        // The last column (a message, an example) wraps under itself rather than being cut.
        const tail = numeric[last] ? [row[last] ?? ''] : wrapWords(row[last] ?? '', widths[last]!);
        out.push({ text: line([...row.slice(0, last), tail[0] ?? '']) });
        for (const more of tail.slice(1)) out.push({ text: line([...row.slice(0, last).map(() => ''), more]) });
      }
    }
  }
  return out;
}

/**
 * Each column as wide as its widest cell; when the row does not fit, the last column (which wraps)
 * gives way first, to 12 cells, then the widest (cut, to 4 cells).
 */
function columnWidths(columns: readonly string[], rows: readonly string[][], width: number): number[] {
  const widths = columns.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const room = width - 2 * Math.max(0, columns.length - 1);
  const last = widths.length - 1;
  let total = widths.reduce((a, b) => a + b, 0);
  if (total > room && last > 0) {
    const give = Math.min(total - room, Math.max(0, widths[last]! - 12));
    widths[last]! -= give;
    total -= give;
  }
  for (; total > room; total--) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 4) break;
    widths[widest]! -= 1;
  }
  return widths;
}
