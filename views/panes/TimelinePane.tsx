// Timeline: phases as bars against today, % complete, On Track / At Risk / Delayed, and the
// forecast finish date once the matrix provides it.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { forecastText, phaseBarSegments, phaseFigures, TIMELINE_LEGEND, timelineSummary, timelineTone, type PhaseRow } from '../model/timeline.js';
import type { PlanSummary } from '../model/data.js';
import { Tone } from '../components/Tone.js';
import { useTheme } from '../theme.js';
import { fit, pad } from '../text.js';
import { filterOf, selectedIn } from '../ui-state.js';
import { positionText } from '../layout.js';
import { FilterLine, PositionLine } from '../components/ListParts.js';
import { definePane } from './pane.js';
import { GATE_GLYPH, gateTone, phaseGateRows, type GateRow } from '../model/gates.js';


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
  /** Phases before the filter (default: those shown). */
  total?: number;
  plan: PlanSummary | null;
  /** The overview's timeline line, when the matrix gives no status. */
  status: string;
  selectedIndex: number;
  filter?: string;
  /** Every quality gate; the selected phase's are shown under the phases. */
  gates?: readonly GateRow[];
}

/** Memoised: redrawn only when the phases, the plan or the selection change. */
export const TimelinePane = memo(function TimelinePane({ width, rows, focused, phases: phaseRows, total = phaseRows.length, plan: planSummary, status, selectedIndex, filter = '', gates = [] }: TimelinePaneProps) {
  const theme = useTheme();
  const phases = phaseRows;
  const selected = Math.min(selectedIndex, Math.max(0, phases.length - 1));
  const plan = planSummary && !planSummary.error ? planSummary : null;
  const summary = timelineSummary(planSummary, status);
  const forecast = forecastText(planSummary);
  // The selected phase's gates (what moving it to done needs) take the lines under the phases,
  // at most half the pane. Each phase takes two lines: its name and figures, then its bar; the
  // legend takes one when there is room for it and a phase; a list that does not fit gives one
  // line to where it is.
  const phaseGates = phases[selected] ? phaseGateRows(gates, phases[selected].name) : [];
  const gateLines = phaseGates.length > 0 ? Math.min(phaseGates.length + 1, Math.max(0, Math.floor((rows - 3) / 2))) : 0;
  const gateName = Math.min(40, Math.max(8, Math.floor(width * 0.4)));
  const above = rows - 2 - (filter ? 1 : 0) - gateLines;
  const legend = phases.length > 0 && above >= 3;
  const room = above - (legend ? 1 : 0);
  const all = phases.length * 2 <= room;
  const fitPhases = all ? phases.length : Math.max(1, Math.floor((room - 1) / 2));
  const start = Math.max(0, Math.min(selected - fitPhases + 1, phases.length - fitPhases));
  const position = all ? null : positionText(start, Math.min(phases.length, start + fitPhases), phases.length);
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
      {filter ? <FilterLine filter={filter} shown={phases.length} total={total} width={width} /> : null}
      {phases.length === 0 ? <Tone token="muted">{filter ? 'no phase matches the filter' : 'no phases configured'}</Tone> : null}
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
      <PositionLine text={position} width={width} />
      {gateLines > 0 ? (
        <Text bold wrap="truncate-end">
          {fit(`Gates to close ${phases[selected]!.name}:`, width)}
        </Text>
      ) : null}
      {phaseGates.slice(0, Math.max(0, gateLines - 1)).map((g) => (
        <Text key={g.id} wrap="truncate-end">
          <Tone token={gateTone(g.status)}>{`${GATE_GLYPH[g.status]} ${pad(g.name, gateName)}`}</Tone>
          <Text color={theme.color('muted')}>{fit(` ${g.status === 'pass' ? 'passes' : g.reason}`, Math.max(0, width - gateName - 2))}</Text>
        </Text>
      ))}
    </Box>
  );
});

export const timelinePane = definePane({
  id: 'timeline',
  title: 'Timeline',
  scopes: () => ['list'],
  listLength: (vm) => vm.phases.length,
  summary: (vm) => `${vm.phases.length} phase${vm.phases.length === 1 ? '' : 's'}`,
  rowsWanted: ({ vm, ui }) => {
    const phase = vm.phases[Math.min(selectedIn(ui, 'timeline'), Math.max(0, vm.phases.length - 1))];
    const gates = phase ? phaseGateRows(vm.gates, phase.name).length : 0;
    return 2 + (filterOf(ui, 'timeline') ? 1 : 0) + (vm.phases.length > 0 ? 1 : 0) + Math.max(1, vm.phases.length * 2) + (gates > 0 ? gates + 1 : 0);
  },
  model: ({ vm, ui, focused, config }) => ({
    focused,
    phases: vm.phases,
    total: config.phases.length || (vm.plan?.phaseList?.length ?? 0),
    plan: vm.plan,
    status: vm.overview.timeline,
    selectedIndex: selectedIn(ui, 'timeline'),
    filter: filterOf(ui, 'timeline'),
    gates: vm.gates,
  }),
  component: TimelinePane,
});
