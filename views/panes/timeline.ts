// The timeline's lines, pure: phases as bars against today, % complete, On Track / At Risk /
// Delayed, the forecast finish date once the matrix provides it, and the selected phase's gates.
// TimelinePane.tsx draws them with Ink.
import { forecastText, phaseBarSegments, phaseFigures, TIMELINE_LEGEND, timelineSummary, timelineTone, type PhaseRow } from '../model/timeline.js';
import type { PlanSummary } from '../model/data.js';
import { GATE_GLYPH, gateTone, phaseGateRows, type GateRow } from '../model/gates.js';
import { fit, pad } from '../text.js';
import { positionText } from '../layout.js';
import { colored, marked, plain, strong, tone, type Line } from '../styled.js';
import { filterOf, selectedIn } from '../ui-state.js';
import { filterLine, positionLine } from './list-lines.js';
import { definePlainPane, type PaneText } from './pane.js';

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

export interface TimelineRows {
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

export function timelineText({ width, rows, focused, phases, total = phases.length, plan: planSummary, status, selectedIndex, filter = '', gates = [] }: TimelineRows & { width: number; rows: number }): PaneText {
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
  const lines: Line[] = [[tone(timelineTone(plan?.status ?? null), fit(summary, width), true)], [colored('muted', fit(forecast, width))]];
  if (filter) lines.push(filterLine(filter, phases.length, total, width));
  if (phases.length === 0) lines.push([tone('muted', filter ? 'no phase matches the filter' : 'no phases configured')]);
  if (legend) lines.push([colored('muted', fit(TIMELINE_LEGEND, width))]);
  phases.slice(start, start + fitPhases).forEach((p, i) => {
    const figures = phaseFigures(p);
    const statusText = p.status ?? p.state;
    const barWidth = Math.max(6, width - 2 - figures.length);
    lines.push(marked([plain(pad(p.name, Math.max(8, width - statusText.length - 1))), plain(' '), tone(timelineTone(p.status ?? null), statusText)], { inverse: focused && start + i === selected }));
    lines.push([plain(' '), tone(p.state === 'current' ? 'accent' : 'muted', phaseBar(p, barWidth)), plain(' '), colored('muted', figures)]);
  });
  const where = positionLine(position, width);
  if (where) lines.push(where);
  if (gateLines > 0) lines.push([strong(fit(`Gates to close ${phases[selected]!.name}:`, width))]);
  for (const g of phaseGates.slice(0, Math.max(0, gateLines - 1))) {
    lines.push([tone(gateTone(g.status), `${GATE_GLYPH[g.status]} ${pad(g.name, gateName)}`), colored('muted', fit(` ${g.status === 'pass' ? 'passes' : g.reason}`, Math.max(0, width - gateName - 2)))]);
  }
  return { lines, start };
}

export const timelinePlain = definePlainPane<TimelineRows>({
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
  model: ({ vm, ui, focused, config }): TimelineRows => ({
    focused,
    phases: vm.phases,
    total: config.phases.length || (vm.plan?.phaseList?.length ?? 0),
    plan: vm.plan,
    status: vm.overview.timeline,
    selectedIndex: selectedIn(ui, 'timeline'),
    filter: filterOf(ui, 'timeline'),
    gates: vm.gates,
  }),
  text: timelineText,
});
