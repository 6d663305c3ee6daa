// One pane at a time (small terminals): the tab strip (views/chrome.ts) says which, and how to
// reach the others.
import { Box } from 'ink';
import { useUIState } from './context.js';
import { StyledSpans } from './components/StyledLines.js';
import { tabStripLine } from './chrome.js';

export function TabStrip({ width }: { width: number }) {
  const { ui, vm, panes } = useUIState();
  return (
    <Box width={width}>
      <StyledSpans line={tabStripLine(panes, ui.pane, vm)} />
    </Box>
  );
}
