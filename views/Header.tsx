// The header (views/chrome.ts headerLine): project, who acts (flagged when not in `people`), paused
// or not, who holds the poller, last poll, and the clock, which ticks here on its own.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useUIState } from './context.js';
import { StyledLine, StyledSpans } from './components/StyledLines.js';
import { headerLine } from './chrome.js';
import { clockTime } from './model/format.js';

export { fitHeader, type HeaderParts } from './chrome.js';

/** The clock ticks on its own so that the panes are not redrawn every second. */
function Clock({ timezone, now, frozen }: { timezone: string; now: () => number; frozen: boolean }) {
  const [t, setT] = useState(now());
  useEffect(() => {
    if (frozen) return;
    const timer = setInterval(() => setT(now()), 1000);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [now, frozen]);
  return <Text>{clockTime(t, timezone, true)}</Text>;
}

export function Header({ width, tick }: { width: number; tick: boolean }) {
  const state = useUIState();
  const { left, right } = headerLine(state, width);
  return (
    <Box width={width} justifyContent="space-between">
      <StyledLine line={left} />
      <Text wrap="truncate-end">
        <StyledSpans line={right} />
        <Clock timezone={state.config.timezone} now={state.now} frozen={!tick} />
      </Text>
    </Box>
  );
}
