// A pane's frame: a border (accent and double when focused) and a title line.
import { Box } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme.js';
import { paneTitleLine } from '../chrome.js';
import { StyledSpans } from './StyledLines.js';

export function Pane({
  title,
  number,
  focused,
  width,
  height,
  right,
  children,
}: {
  title: string;
  number: number;
  focused: boolean;
  width: number;
  height: number;
  right?: string;
  children: ReactNode;
}) {
  const theme = useTheme();
  const inner = Math.max(0, width - 2);
  const line = paneTitleLine(title, number, focused, inner, theme, right);
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle={focused ? 'double' : 'single'}
      borderColor={focused ? theme.color('accent') : theme.color('muted')}
    >
      <Box width={inner} justifyContent="space-between">
        <StyledSpans line={[line.left]} />
        <StyledSpans line={[line.right]} />
      </Box>
      {children}
    </Box>
  );
}
