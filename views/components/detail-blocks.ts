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
      for (const row of block.rows) out.push({ text: line(row) });
    }
  }
  return out;
}

/** Each column as wide as its widest cell, the widest giving way (to 4 cells) until the row fits. */
function columnWidths(columns: readonly string[], rows: readonly string[][], width: number): number[] {
  const widths = columns.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const room = width - 2 * Math.max(0, columns.length - 1);
  for (let total = widths.reduce((a, b) => a + b, 0); total > room; total--) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 4) break;
    widths[widest]! -= 1;
  }
  return widths;
}
