// Text in a semantic colour token: the only way views colour anything.
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme, type ColorToken } from '../theme.js';

export function Tone({ token, children, bold, inverse }: { token: ColorToken; children: ReactNode; bold?: boolean; inverse?: boolean }) {
  const theme = useTheme();
  return (
    <Text color={theme.color(token)} bold={bold ?? theme.bold(token)} inverse={inverse}>
      {children}
    </Text>
  );
}
