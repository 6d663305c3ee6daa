// Overview's lines, pure: the project at a glance — completion, connections, open CRITICAL / HIGH
// alerts, high-priority tasks, the timeline's status — with sparklines of completion and alert
// counts, and today's standups under them. OverviewPane.tsx draws them with Ink.
import type { Overview, StandupRow } from '../model/overview.js';
import type { PlanSummary } from '../model/data.js';
import { timelineTone } from '../model/timeline.js';
import { gatesSummary, type GateRow } from '../model/gates.js';
import { statusGlyph } from '../palette.js';
import { fit, pad, sparkline } from '../text.js';
import { colored, plain, strong, tone, type Line } from '../styled.js';
import { sanitizeLine } from '../../src/text/sanitize.js';
import { definePlainPane, type PaneText } from './pane.js';

const LABEL = 24;

export interface OverviewRows {
  overview: Overview;
  plan: PlanSummary | null;
  standups: { rows: readonly StandupRow[]; missing: readonly string[] };
  gates: readonly GateRow[];
}

export function overviewText({ width, rows, overview: o, plan, standups: today, gates }: OverviewRows & { width: number; rows: number }): PaneText {
  const spark = Math.max(0, Math.min(24, width - LABEL - 26));
  const lines: Line[] = [
    [plain(pad('Integration completion', LABEL)), strong(pad(o.completion, 24)), plain(' '), tone('accent', sparkline(o.completionHistory, spark))],
    [plain(pad('System connections', LABEL)), strong(o.connections)],
    [
      plain(pad('Open alerts', LABEL)),
      tone(o.critical ? 'critical' : 'muted', `${statusGlyph('CRITICAL')} ${o.critical} CRIT`),
      plain('  '),
      tone(o.high ? 'high' : 'muted', `${statusGlyph('HIGH')} ${o.high} HIGH`),
      plain('  '),
      tone(o.medium ? 'warn' : 'muted', `${statusGlyph('MEDIUM')} ${o.medium} MED`),
      plain('  '),
      tone('muted', sparkline(o.alertHistory, Math.max(0, width - LABEL - 32))),
    ],
    [plain(pad('High-priority tasks', LABEL)), strong(o.highPriorityTasks === null ? '–' : `${o.highPriorityTasks} ready`)],
    [plain(pad('Timeline', LABEL)), tone(timelineTone(o.timeline), o.timeline, true), colored('muted', o.timelineReason ? ` — ${o.timelineReason}` : '')],
    [plain(pad('Forecast finish', LABEL)), plain(o.forecast ?? '–')],
    [plain(pad('Checks passing', LABEL)), tone(o.checksPassing === o.checksTotal ? 'ok' : 'warn', `${o.checksPassing}/${o.checksTotal}`)],
    ...gateLine(gates),
    [plain(pad('Standups today', LABEL)), plain(`${o.standupsToday}`), tone(o.openBlockers ? 'warn' : 'muted', `  · open blockers ${o.openBlockers}`)],
  ];
  if (plan?.error) lines.push([tone('warn', fit(`matrix: ${sanitizeLine(plan.error, 300)}`, width))]);
  // Today's standups, as they are saved in any console.
  const { rows: standups, missing } = today;
  if (rows - lines.length >= 3) {
    lines.push([strong(' ')]);
    lines.push([strong('Today’s standups')]);
    for (const s of standups) {
      const tail = s.blockers ? `  ⚑${s.blockers}` : '';
      lines.push([
        tone('ok', `${statusGlyph('ok')} `),
        plain(pad(s.system, 14) + ' '),
        colored('muted', pad(s.author, 8) + ' '),
        plain(fit(`${s.done} → ${s.next}`, Math.max(0, width - 26 - tail.length))),
        tone('warn', tail),
      ]);
    }
    if (missing.length) lines.push([tone('muted', fit(`${statusGlyph('pending')} no standup yet: ${missing.join(', ')}`, width))]);
  }
  // What does not fit is never dropped silently: full screen shows more.
  if (lines.length <= rows) return { lines, start: 0 };
  return { lines: [...lines.slice(0, rows - 1), [tone('muted', fit(`+${lines.length - rows + 1} more lines ↓ (f: full screen)`, width))]], start: 0 };
}

/** `Quality gates  1/3 pass · ✖ code-quality, connected`, when gates are configured. */
function gateLine(gates: readonly GateRow[]): Line[] {
  const summary = gatesSummary(gates);
  return summary ? [[plain(pad('Quality gates', LABEL)), tone(summary.tone, summary.text)]] : [];
}

export const overviewPlain = definePlainPane<OverviewRows>({
  id: 'overview',
  title: 'Overview',
  scopes: () => [],
  // Its figures (the gates' line when there are gates), and today's standups under them.
  rowsWanted: ({ vm }) => 8 + (vm.gates.length ? 1 : 0) + (vm.plan?.error ? 1 : 0) + 2 + vm.standups.rows.length + (vm.standups.missing.length ? 1 : 0),
  model: ({ vm }): OverviewRows => ({ overview: vm.overview, plan: vm.plan, standups: vm.standups, gates: vm.gates }),
  text: overviewText,
});
