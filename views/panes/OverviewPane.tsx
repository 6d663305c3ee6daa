// Overview: the project at a glance — completion, connections, open CRITICAL / HIGH alerts,
// high-priority tasks, the timeline's status — with sparklines of completion and alert counts.
import { Box, Text } from 'ink';
import { Fragment, memo, type ReactNode } from 'react';
import type { Overview, StandupRow } from '../model/overview.js';
import type { PlanSummary } from '../model/data.js';
import { timelineTone } from '../model/timeline.js';
import { Tone } from '../components/Tone.js';
import { useTheme } from '../theme.js';
import { fit, pad, sparkline } from '../text.js';
import { statusGlyph } from '../theme.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { definePane } from './pane.js';
import { gatesSummary, type GateRow } from '../model/gates.js';

const LABEL = 24;


export interface OverviewPaneProps {
  width: number;
  rows: number;
  overview: Overview;
  plan: PlanSummary | null;
  standups: { rows: readonly StandupRow[]; missing: readonly string[] };
  gates: readonly GateRow[];
}

/** Memoised: a key press elsewhere does not redraw it. */
export const OverviewPane = memo(function OverviewPane({ width, rows, overview, plan, standups: today, gates }: OverviewPaneProps) {
  const vm = { overview, plan, standups: today };
  const theme = useTheme();
  const o = vm.overview;
  const spark = Math.max(0, Math.min(24, width - LABEL - 26));
  const lines: Array<{ key: string; node: ReactNode }> = [
    {
      key: 'completion',
      node: (
        <Text wrap="truncate-end">
          {pad('Integration completion', LABEL)}
          <Text bold>{pad(o.completion, 24)}</Text> <Tone token="accent">{sparkline(o.completionHistory, spark)}</Tone>
        </Text>
      ),
    },
    {
      key: 'connections',
      node: (
        <Text wrap="truncate-end">
          {pad('System connections', LABEL)}
          <Text bold>{o.connections}</Text>
        </Text>
      ),
    },
    {
      key: 'alerts',
      node: (
        <Text wrap="truncate-end">
          {pad('Open alerts', LABEL)}
          <Tone token={o.critical ? 'critical' : 'muted'}>{`${statusGlyph('CRITICAL')} ${o.critical} CRIT`}</Tone>
          {'  '}
          <Tone token={o.high ? 'high' : 'muted'}>{`${statusGlyph('HIGH')} ${o.high} HIGH`}</Tone>
          {'  '}
          <Tone token={o.medium ? 'warn' : 'muted'}>{`${statusGlyph('MEDIUM')} ${o.medium} MED`}</Tone>
          {'  '}
          <Tone token="muted">{sparkline(o.alertHistory, Math.max(0, width - LABEL - 32))}</Tone>
        </Text>
      ),
    },
    {
      key: 'tasks',
      node: (
        <Text wrap="truncate-end">
          {pad('High-priority tasks', LABEL)}
          <Text bold>{o.highPriorityTasks === null ? '–' : `${o.highPriorityTasks} ready`}</Text>
        </Text>
      ),
    },
    {
      key: 'timeline',
      node: (
        <Text wrap="truncate-end">
          {pad('Timeline', LABEL)}
          <Tone token={timelineTone(o.timeline)} bold>
            {o.timeline}
          </Tone>
          <Text color={theme.color('muted')}>{o.timelineReason ? ` — ${o.timelineReason}` : ''}</Text>
        </Text>
      ),
    },
    {
      key: 'forecast',
      node: (
        <Text wrap="truncate-end">
          {pad('Forecast finish', LABEL)}
          {o.forecast ?? '–'}
        </Text>
      ),
    },
    {
      key: 'checks',
      node: (
        <Text wrap="truncate-end">
          {pad('Checks passing', LABEL)}
          <Tone token={o.checksPassing === o.checksTotal ? 'ok' : 'warn'}>{`${o.checksPassing}/${o.checksTotal}`}</Tone>
        </Text>
      ),
    },
    ...gateLine(gates),
    {
      key: 'standups',
      node: (
        <Text wrap="truncate-end">
          {pad('Standups today', LABEL)}
          {`${o.standupsToday}`}
          <Tone token={o.openBlockers ? 'warn' : 'muted'}>{`  · open blockers ${o.openBlockers}`}</Tone>
        </Text>
      ),
    },
  ];
  if (vm.plan?.error) {
    lines.push({ key: 'plan-error', node: <Tone token="warn">{fit(`matrix: ${sanitizeLine(vm.plan.error, 300)}`, width)}</Tone> });
  }
  // Today's standups, as they are saved in any console.
  const { rows: standups, missing } = vm.standups;
  if (rows - lines.length >= 3) {
    lines.push({ key: 'standups-title', node: <Text bold>{' '}</Text> });
    lines.push({ key: 'standups-head', node: <Text bold>Today’s standups</Text> });
    for (const s of standups) {
      const tail = s.blockers ? `  ⚑${s.blockers}` : '';
      lines.push({
        key: `standup-${s.system}`,
        node: (
          <Text wrap="truncate-end">
            <Tone token="ok">{`${statusGlyph('ok')} `}</Tone>
            {pad(s.system, 14) + ' '}
            <Text color={theme.color('muted')}>{pad(s.author, 8) + ' '}</Text>
            {fit(`${s.done} → ${s.next}`, Math.max(0, width - 26 - tail.length))}
            <Tone token="warn">{tail}</Tone>
          </Text>
        ),
      });
    }
    if (missing.length) {
      lines.push({ key: 'standups-missing', node: <Tone token="muted">{fit(`${statusGlyph('pending')} no standup yet: ${missing.join(', ')}`, width)}</Tone> });
    }
  }
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(0, lines.length > rows ? rows - 1 : rows).map((l) => (
        <Fragment key={l.key}>{l.node}</Fragment>
      ))}
      {/* What does not fit is never dropped silently: full screen shows more. */}
      {lines.length > rows ? <Tone token="muted">{fit(`+${lines.length - rows + 1} more lines ↓ (f: full screen)`, width)}</Tone> : null}
    </Box>
  );
});

/** `Quality gates  1/3 pass · ✖ code-quality, connected`, when gates are configured. */
function gateLine(gates: readonly GateRow[]): Array<{ key: string; node: ReactNode }> {
  const summary = gatesSummary(gates);
  if (!summary) return [];
  return [
    {
      key: 'gates',
      node: (
        <Text wrap="truncate-end">
          {pad('Quality gates', LABEL)}
          <Tone token={summary.tone}>{summary.text}</Tone>
        </Text>
      ),
    },
  ];
}

export const overviewPane = definePane({
  id: 'overview',
  title: 'Overview',
  scopes: () => [],
  // Its figures (the gates' line when there are gates), and today's standups under them.
  rowsWanted: ({ vm }) => 8 + (vm.gates.length ? 1 : 0) + (vm.plan?.error ? 1 : 0) + 2 + vm.standups.rows.length + (vm.standups.missing.length ? 1 : 0),
  model: ({ vm }) => ({ overview: vm.overview, plan: vm.plan, standups: vm.standups, gates: vm.gates }),
  component: OverviewPane,
});
