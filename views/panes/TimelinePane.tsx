// Timeline: its lines (views/panes/timeline.ts) drawn with Ink.
import { Box } from 'ink';
import { memo } from 'react';
import { StyledLines } from '../components/StyledLines.js';
import { definePane } from './pane.js';
import { timelinePlain, timelineText, type TimelineRows } from './timeline.js';

export type TimelinePaneProps = TimelineRows & { width: number; rows: number };

/** Memoised: redrawn only when the phases, the plan or the selection change. */
export const TimelinePane = memo(function TimelinePane(props: TimelinePaneProps) {
  return (
    <Box flexDirection="column" width={props.width}>
      <StyledLines lines={timelineText(props).lines} />
    </Box>
  );
});

export const timelinePane = definePane({ ...timelinePlain, component: TimelinePane });
