// The lines every list shares (views/panes/list-lines.ts), drawn with Ink.
import { StyledLine } from './StyledLines.js';
import { filterLine, positionLine } from '../panes/list-lines.js';

export function FilterLine({ filter, shown, total, width }: { filter: string; shown: number; total: number; width: number }) {
  return <StyledLine line={filterLine(filter, shown, total, width)} />;
}

export function PositionLine({ text, width }: { text: string | null; width: number }) {
  const line = positionLine(text, width);
  return line ? <StyledLine line={line} /> : null;
}
