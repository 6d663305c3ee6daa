// The systems grid's lines, pure: one row per system with its status (colour and glyph), leader,
// checks passing, worst open alert, last check time and a latency sparkline; only the rows in view.
// SystemsPane.tsx draws them with Ink (and the checks of a system opened from the grid).
import { displayWidth } from '../../src/text/width.js';
import type { SystemRow } from '../model/systems.js';
import { SYSTEM_SORTS } from '../model/systems.js';
import { clockTime } from '../model/format.js';
import { severityToken, statusGlyph, statusToken } from '../palette.js';
import { fit, pad, sparkline } from '../text.js';
import { listWindow } from '../layout.js';
import { colored, marked, plain, tone, type Line } from '../styled.js';
import { filterOf, selectedIn, sortOf, type ListSort } from '../ui-state.js';
import { filterLine, positionLine } from './list-lines.js';
import { definePlainPane, type PaneText } from './pane.js';

/** The filter key of the open system's check list (UIState.filters, the view model's filters). */
export const CHECKS_LIST = 'checks';

export interface SystemsRows {
  /** A system's checks are open (SystemDetail.tsx draws those). */
  detail: boolean;
  focused: boolean;
  systems: readonly SystemRow[];
  selectedIndex: number;
  filter: string;
  /** Systems before the filter. */
  total: number;
  sort: ListSort;
  timezone: string;
}

export function systemsText({ width, rows, focused, systems: list, selectedIndex, filter, total, sort, timezone }: SystemsRows & { width: number; rows: number }, previousStart = 0): PaneText {
  const selected = Math.min(selectedIndex, Math.max(0, list.length - 1));
  const listRows = Math.max(1, rows - 1 - (filter ? 1 : 0));
  const win = listWindow(list.length, selected, listRows, previousStart);
  const { nameW, leaderW, sparkW } = systemColumns(width, list.map((s) => s.id), list.map((s) => s.leader));
  const lines: Line[] = [];
  if (filter) lines.push(filterLine(filter, list.length, total, width));
  lines.push([
    colored(
      'muted',
      sortMark('status', sort, 2) + pad(sortMark('system', sort), nameW) + ' ' + pad(sortMark('leader', sort), leaderW) + ' ' + pad('chk', 5) + ' ' + pad('alert', 12) + ' ' + pad('last', 5) + ' ' + fit('latency', sparkW),
    ),
  ]);
  if (list.length === 0) lines.push([tone('muted', filter ? 'no system matches the filter' : 'no systems configured')]);
  list.slice(win.start, win.end).forEach((s, i) => {
    const row: Line = [
      tone(statusToken(s.status), statusGlyph(s.status) + ' '),
      plain(pad(s.id, nameW) + ' ' + pad(s.leader, leaderW) + ' '),
      tone(s.passing === s.total && s.total > 0 ? 'ok' : s.total === 0 ? 'muted' : 'warn', pad(`${s.passing}/${s.total}`, 5)),
      plain(' '),
      s.worstAlert ? tone(severityToken(s.worstAlert.severity), pad(`${s.worstAlert.id} ${s.worstAlert.severity}`, 12)) : tone('muted', pad('–', 12)),
      plain(' '),
      plain(pad(s.lastCheckAt ? clockTime(Date.parse(s.lastCheckAt), timezone) : '–', 5)),
      plain(' '),
      tone('accent', sparkline(s.latency, sparkW)),
    ];
    lines.push(marked(row, { inverse: focused && win.start + i === selected }));
  });
  const position = positionLine(win.position, width);
  if (position) lines.push(position);
  return { lines, start: win.start };
}

/**
 * The widths of the systems grid's columns: the system and leader columns as wide as their longest
 * value (up to 40 and 24 cells), the latency sparkline the rest; when the width runs short the
 * leader, then the system column give way (to 8 and 10) before the "latency" header is cut.
 */
export function systemColumns(width: number, ids: readonly string[], leaders: readonly string[]): { nameW: number; leaderW: number; sparkW: number } {
  // glyph 2, checks 5, alert 12, last 5, and a space after every column but the last.
  const fixed = 2 + 1 + 1 + 5 + 1 + 12 + 1 + 5 + 1;
  const longest = (values: readonly string[], min: number) => values.reduce((m, v) => Math.max(m, displayWidth(v)), min);
  let nameW = Math.min(40, longest(ids, 6));
  let leaderW = Math.min(24, longest(leaders, 6));
  const SPARK = 'latency'.length;
  const spark = () => width - fixed - nameW - leaderW;
  if (spark() < SPARK) leaderW = Math.max(Math.min(leaderW, 8), leaderW - (SPARK - spark()));
  if (spark() < SPARK) nameW = Math.max(Math.min(nameW, 10), nameW - (SPARK - spark()));
  return { nameW, leaderW, sparkW: Math.max(0, spark()) };
}

/** A column's header with ▼ (▲ reversed) when the list is sorted by it; the status column is its glyph. */
function sortMark(column: string, sort: ListSort, width = 0): string {
  const arrow = sort.by === column ? (sort.reverse ? '▲' : '▼') : '';
  if (column === 'status') return pad(arrow, width);
  return column + arrow;
}

export const systemsPlain = definePlainPane<SystemsRows>({
  id: 'systems',
  title: 'Systems',
  scopes: (ui) => (ui.detail ? ['detail', 'list'] : ['systems', 'list']),
  scopeTitles: { systems: 'Systems grid', detail: 'System detail' },
  listLength: (vm, ui) => (ui.detail ? vm.detailChecks.length : vm.systems.length),
  // The open system's checks are the list in front: `/` filters them, not the grid behind.
  frontList: (ui) =>
    ui.detail
      ? {
          id: CHECKS_LIST,
          selected: ui.detail.selected,
          // A new filter shows the list again, from its first match.
          select: (s, index) => (s.detail ? { ...s, detail: { ...s.detail, selected: index, full: false }, scroll: 0 } : s),
        }
      : null,
  sorts: SYSTEM_SORTS,
  rowsWanted: ({ vm, ui }) => 1 + (filterOf(ui, 'systems') ? 1 : 0) + Math.max(1, vm.systems.length),
  summary: (vm) => `${vm.systems.length} system${vm.systems.length === 1 ? '' : 's'}`,
  model: ({ vm, ui, config, focused }): SystemsRows => ({
    detail: ui.detail !== null,
    focused,
    systems: vm.systems,
    selectedIndex: selectedIn(ui, 'systems'),
    filter: filterOf(ui, 'systems'),
    total: Object.keys(config.systems).length,
    sort: sortOf(ui, 'systems', SYSTEM_SORTS),
    timezone: config.timezone,
  }),
  text: systemsText,
});
