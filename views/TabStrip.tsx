// One pane at a time (small terminals): the tab strip says which, and how to reach the others.
import { Box, Text } from 'ink';
import { useUIState } from './context.js';
import { paneKey } from './panes/pane.js';
import { useTheme } from './theme.js';

export function TabStrip({ width }: { width: number }) {
  const { ui, vm, panes } = useUIState();
  const theme = useTheme();
  return (
    <Box width={width}>
      {panes.map((p, i) => {
        const focused = ui.pane === p.id;
        const badge = p.badge?.(vm);
        return (
          <Text key={p.id} inverse={focused} bold={focused} color={focused ? theme.color('accent') : theme.color('muted')}>
            {` ${paneKey(i) ?? '·'} ${p.title}${badge ? ` ${badge}` : ''} `}
          </Text>
        );
      })}
    </Box>
  );
}
