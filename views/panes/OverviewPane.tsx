// Overview: its lines (views/panes/overview.ts) drawn with Ink.
import { Box } from 'ink';
import { memo } from 'react';
import { StyledLines } from '../components/StyledLines.js';
import { definePane } from './pane.js';
import { overviewPlain, overviewText, type OverviewRows } from './overview.js';

export type OverviewPaneProps = OverviewRows & { width: number; rows: number };

/** Memoised: a key press elsewhere does not redraw it. */
export const OverviewPane = memo(function OverviewPane(props: OverviewPaneProps) {
  return (
    <Box flexDirection="column" width={props.width}>
      <StyledLines lines={overviewText(props).lines} />
    </Box>
  );
});

export const overviewPane = definePane({ ...overviewPlain, component: OverviewPane });
