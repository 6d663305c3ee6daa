// Timeline: phases as bars against today, % complete, On Track / At Risk / Delayed, and the
// forecast finish date once the matrix provides it.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { forecastText, phaseBarSegments, phaseFigures, TIMELINE_LEGEND, timelineSummary, timelineTone, type PhaseRow } from '../model/timeline.js';
import type { PlanSummary } from '../model/data.js';
import { Tone } from '../components/Tone.js';
import { useTheme } from '../theme.js';
import { fit, pad } from '../text.js';
import { selectedIn } from '../ui-state.js';
import { definePane } from './pane.js';


/**
 * The phase's span on the project's calendar: done (█), time gone but not done (▒), to come (░),
 * today (│). A phase at 0 % done has no █ at all, whatever its calendar says.
 */
export function phaseBar(p: PhaseRow, width: number): string {
  const seg = phaseBarSegments(p);
  const cell = (x: number) => Math.round(x * width);
  const a = Math.min(width - 1, Math.floor(seg.from * width));
  const b = Math.max(a + 1, cell(seg.to));
  const done = Math.min(b, cell(seg.doneTo));
  const gone = Math.min(b, cell(seg.elapsedTo));
  const t = Math.min(width - 1, Math.floor(seg.today * width));
  const cells: string[] = [];
  for (let i = 0; i < width; i++) {
    if (i === t) cells.push('│');
    else if (i >= a && i < done) cells.push('█');
    else if (i >= a && i < gone) cells.push('▒');
    else if (i >= a && i < b) cells.push('░');
    else cells.push(' ');
  }
  return cells.join('');
}

export interface TimelinePaneProps {
  width: number;
  rows: number;
  focused: boolean;
  phases: readonly PhaseRow[];
  plan: PlanSummary | null;
  /** The overview's timeline line, when the matrix gives no status. */
  status: string;
  selectedIndex: number;
}

/** Memoised: redrawn only when the phases, the plan or the selection change. */
export const TimelinePane = memo(function TimelinePane({ width, rows, focused, phases: phaseRows, plan: planSummary, status, selectedIndex }: TimelinePaneProps) {
  const theme = useTheme();
  const phases = phaseRows;
  const selected = Math.min(selectedIndex, Math.max(0, phases.length - 1));
  const plan = planSummary && !planSummary.error ? planSummary : null;
  const summary = timelineSummary(planSummary, status);
  const forecast = forecastText(planSummary);
  // Each phase takes two lines: its name and figures, then its bar; the legend takes one.
  const legend = phases.length > 0 && rows >= 6;
  const fitPhases = Math.max(1, Math.floor((rows - 3 - (legend ? 1 : 0)) / 2));
  const start = Math.max(0, Math.min(selected - fitPhases + 1, phases.length - fitPhases));
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Tone token={timelineTone(plan?.status ?? null)} bold>
          {fit(summary, width)}
        </Tone>
      </Text>
      <Text color={theme.color('muted')} wrap="truncate-end">
        {fit(forecast, width)}
      </Text>
      {phases.length === 0 ? <Tone token="muted">no phases configured</Tone> : null}
      {legend ? (
        <Text color={theme.color('muted')} wrap="truncate-end">
          {fit(TIMELINE_LEGEND, width)}
        </Text>
      ) : null}
      {phases.slice(start, start + fitPhases).map((p, i) => {
        const isSel = focused && start + i === selected;
        const figures = phaseFigures(p);
        const statusText = p.status ?? p.state;
        const barWidth = Math.max(6, width - 2 - figures.length);
        return (
          <Box key={p.name + i} flexDirection="column" width={width}>
            <Text wrap="truncate-end" inverse={isSel}>
              {pad(p.name, Math.max(8, width - statusText.length - 1))}{' '}
              <Tone token={timelineTone(p.status ?? null)}>{statusText}</Tone>
            </Text>
            <Text wrap="truncate-end">
              {' '}
              <Tone token={p.state === 'current' ? 'accent' : 'muted'}>{phaseBar(p, barWidth)}</Tone>{' '}
              <Text color={theme.color('muted')}>{figures}</Text>
            </Text>
          </Box>
        );
      })}
    </Box>
  );
});

export const timelinePane = definePane({
  id: 'timeline',
  title: 'Timeline',
  scopes: () => ['list'],
  listLength: (vm) => vm.phases.length,
  summary: (vm) => `${vm.phases.length} phase${vm.phases.length === 1 ? '' : 's'}`,
  model: ({ vm, ui, focused }) => ({ focused, phases: vm.phases, plan: vm.plan, status: vm.overview.timeline, selectedIndex: selectedIn(ui, 'timeline') }),
  component: TimelinePane,
});
