// A text view that scrolls (a detail open in full): the lines from the scroll position, and where
// they are when not all fit. The lines are built by the view (already wrapped to the width).
import { Box, Text } from 'ink';
import type { ColorToken } from '../theme.js';
import { Tone } from './Tone.js';
import { PositionLine } from './ListParts.js';
import { scrollWindow } from '../layout.js';

export interface TextLine {
  text: string;
  tone?: ColorToken;
  bold?: boolean;
}

export function ScrollText({ lines, scroll, rows, width }: { lines: readonly TextLine[]; scroll: number; rows: number; width: number }) {
  const win = scrollWindow(lines.length, scroll, rows);
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(win.start, win.end).map((l, i) => (
        <Text key={win.start + i} wrap="truncate-end">
          {l.tone ? (
            <Tone token={l.tone} bold={l.bold}>
              {l.text || ' '}
            </Tone>
          ) : (
            <Text bold={l.bold}>{l.text || ' '}</Text>
          )}
        </Text>
      ))}
      <PositionLine text={win.position ? `${win.position} · j/k PgDn g/G` : null} width={width} />
    </Box>
  );
}
