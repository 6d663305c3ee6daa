// One pane at a time (small terminals): the tab strip says which, and how to reach the others.
import { Box, Text } from 'ink';
import { useUIState } from './context.js';
import { useTheme } from './theme.js';
import { PANES, PANE_TITLES } from './ui-state.js';

export function TabStrip({ width }: { width: number }) {
  const { ui, vm } = useUIState();
  const theme = useTheme();
  return (
    <Box width={width}>
      {PANES.map((p, i) => {
        const focused = ui.pane === p;
        const badge = p === 'alerts' && vm.alertsTotal > 0 ? ` (${vm.alertsTotal})` : '';
        return (
          <Text key={p} inverse={focused} bold={focused} color={focused ? theme.color('accent') : theme.color('muted')}>
            {` ${i + 1} ${PANE_TITLES[p]}${badge} `}
          </Text>
        );
      })}
    </Box>
  );
}
