// Systems grid: one row per system with its status (colour and glyph), leader, checks passing,
// worst open alert, last check time and a latency sparkline. Only the visible rows are drawn.
import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import type { SystemRow } from '../model/systems.js';
import { Tone } from '../components/Tone.js';
import { severityToken, statusGlyph, statusToken, useTheme } from '../theme.js';
import { fit, pad, sparkline } from '../text.js';
import stringWidth from 'string-width';
import { listWindow, scrollWindow } from '../layout.js';
import { FilterLine, PositionLine } from '../components/ListParts.js';
import { clockTime } from '../model/format.js';
import { clamp, filterOf, selectedIn, sortOf, type ListSort } from '../ui-state.js';
import { SYSTEM_SORTS } from '../model/systems.js';
import { definePane } from './pane.js';
import { CHECKS_LIST, checkDetailText, SystemDetail, systemDetailRows } from './SystemDetail.js';

export interface SystemsPaneProps {
  width: number;
  rows: number;
  focused: boolean;
  systems: readonly SystemRow[];
  selectedIndex: number;
  filter: string;
  /** Systems before the filter. */
  total: number;
  sort: ListSort;
  timezone: string;
}

/** Memoised: redrawn only when its rows, selection or filter change. */
export const SystemsPane = memo(function SystemsPane({ width, rows, focused, systems, selectedIndex, filter, total, sort, timezone }: SystemsPaneProps) {
  const theme = useTheme();
  const list = systems;
  const selected = Math.min(selectedIndex, Math.max(0, list.length - 1));
  const startRef = useRef(0);
  const listRows = Math.max(1, rows - 1 - (filter ? 1 : 0));
  const win = listWindow(list.length, selected, listRows, startRef.current);
  startRef.current = win.start;
  const { nameW, leaderW, sparkW } = systemColumns(width, list.map((s) => s.id), list.map((s) => s.leader));
  return (
    <Box flexDirection="column" width={width}>
      {filter ? <FilterLine filter={filter} shown={list.length} total={total} width={width} /> : null}
      <Text color={theme.color('muted')} wrap="truncate-end">
        {marked('status', sort, 2) + pad(marked('system', sort), nameW) + ' ' + pad(marked('leader', sort), leaderW) + ' ' + pad('chk', 5) + ' ' + pad('alert', 12) + ' ' + pad('last', 5) + ' ' + fit('latency', sparkW)}
      </Text>
      {list.length === 0 ? <Tone token="muted">{filter ? 'no system matches the filter' : 'no systems configured'}</Tone> : null}
      {list.slice(win.start, win.end).map((s, i) => {
        const isSel = focused && win.start + i === selected;
        return (
          <Text key={s.id} wrap="truncate-end" inverse={isSel}>
            <Tone token={statusToken(s.status)}>{statusGlyph(s.status) + ' '}</Tone>
            {pad(s.id, nameW) + ' ' + pad(s.leader, leaderW) + ' '}
            <Tone token={s.passing === s.total && s.total > 0 ? 'ok' : s.total === 0 ? 'muted' : 'warn'}>{pad(`${s.passing}/${s.total}`, 5)}</Tone>{' '}
            {s.worstAlert ? (
              <Tone token={severityToken(s.worstAlert.severity)}>{pad(`${s.worstAlert.id} ${s.worstAlert.severity}`, 12)}</Tone>
            ) : (
              <Tone token="muted">{pad('–', 12)}</Tone>
            )}{' '}
            {pad(s.lastCheckAt ? clockTime(Date.parse(s.lastCheckAt), timezone) : '–', 5)}{' '}
            <Tone token="accent">{sparkline(s.latency, sparkW)}</Tone>
          </Text>
        );
      })}
      <PositionLine text={win.position} width={width} />
    </Box>
  );
});

/** A column's header with ▼ (▲ reversed) when the list is sorted by it; the status column is its glyph. */
/**
 * The widths of the systems grid's columns: the system and leader columns as wide as their longest
 * value (up to 40 and 24 cells), the latency sparkline the rest; when the width runs short the
 * leader, then the system column give way (to 8 and 10) before the "latency" header is cut.
 */
export function systemColumns(width: number, ids: readonly string[], leaders: readonly string[]): { nameW: number; leaderW: number; sparkW: number } {
  // glyph 2, checks 5, alert 12, last 5, and a space after every column but the last.
  const fixed = 2 + 1 + 1 + 5 + 1 + 12 + 1 + 5 + 1;
  const longest = (values: readonly string[], min: number) => values.reduce((m, v) => Math.max(m, stringWidth(v)), min);
  let nameW = Math.min(40, longest(ids, 6));
  let leaderW = Math.min(24, longest(leaders, 6));
  const SPARK = 'latency'.length;
  const spark = () => width - fixed - nameW - leaderW;
  if (spark() < SPARK) leaderW = Math.max(Math.min(leaderW, 8), leaderW - (SPARK - spark()));
  if (spark() < SPARK) nameW = Math.max(Math.min(nameW, 10), nameW - (SPARK - spark()));
  return { nameW, leaderW, sparkW: Math.max(0, spark()) };
}

function marked(column: string, sort: ListSort, width = 0): string {
  const arrow = sort.by === column ? (sort.reverse ? '▲' : '▼') : '';
  if (column === 'status') return pad(arrow, width);
  return column + arrow;
}

/** The grid, or the checks of the system opened from it. */
function SystemsView({ detail, ...grid }: SystemsPaneProps & { detail: boolean }) {
  return detail ? <SystemDetail width={grid.width} rows={grid.rows} /> : <SystemsPane {...grid} />;
}

export const systemsPane = definePane({
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
  rowsWanted: ({ vm, ui, config }, width) =>
    ui.detail
      ? systemDetailRows(vm.detailChecks, ui.detail.selected, width, config.timezone, filterOf(ui, CHECKS_LIST) !== '')
      : 1 + (filterOf(ui, 'systems') ? 1 : 0) + Math.max(1, vm.systems.length),
  scrollMax: ({ vm, ui, config }, size) => {
    const check = ui.detail?.full ? vm.detailChecks[Math.min(ui.detail.selected, vm.detailChecks.length - 1)] : undefined;
    return check ? scrollWindow(checkDetailText(check, size.width, config.timezone).length, 0, size.rows - 1).max : 0;
  },
  summary: (vm) => `${vm.systems.length} system${vm.systems.length === 1 ? '' : 's'}`,
  open: (state, ctx) => {
    if (state.detail) return state.detail.full || ctx.detailCount === 0 ? null : { ...state, detail: { ...state.detail, full: true }, scroll: 0 };
    return ctx.selectedSystemId ? { ...state, detail: { system: ctx.selectedSystemId, selected: 0 }, scroll: 0 } : null;
  },
  close: (state) => {
    if (state.detail?.full) return { ...state, detail: { ...state.detail, full: false }, scroll: 0 };
    // A filtered check list: Esc clears the filter first (the router does), then closes the list.
    if (!state.detail || filterOf(state, CHECKS_LIST)) return null;
    return { ...state, detail: null, filters: { ...state.filters, [CHECKS_LIST]: '' } };
  },
  move: (state, step, ctx) => {
    if (!state.detail) return null;
    if (state.detail.full) return { ...state, scroll: clamp(state.scroll + step, (ctx.scrollMax ?? 0) + 1) };
    return { ...state, detail: { ...state.detail, selected: clamp(state.detail.selected + step, ctx.detailCount) } };
  },
  model: ({ vm, ui, config, focused }) => ({
    detail: ui.detail !== null,
    focused,
    systems: vm.systems,
    selectedIndex: selectedIn(ui, 'systems'),
    filter: filterOf(ui, 'systems'),
    total: Object.keys(config.systems).length,
    sort: sortOf(ui, 'systems', SYSTEM_SORTS),
    timezone: config.timezone,
  }),
  component: SystemsView,
});
