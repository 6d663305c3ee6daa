// A pane's frame: a border (accent and double when focused) and a title line.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme.js';
import { fit } from '../text.js';

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
  const left = `${number} ${title}`;
  const rightText = right ? fit(right, Math.max(0, inner - left.length - 2)) : '';
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle={focused ? 'double' : 'single'}
      borderColor={focused ? theme.color('accent') : theme.color('muted')}
    >
      <Box width={inner} justifyContent="space-between">
        <Text bold color={focused ? theme.color('accent') : undefined} inverse={focused && theme.name === 'mono'}>
          {left}
        </Text>
        <Text color={theme.color('muted')}>{rightText}</Text>
      </Box>
      {children}
    </Box>
  );
}
