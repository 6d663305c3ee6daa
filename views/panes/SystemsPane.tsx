// Systems grid: its lines (views/panes/systems.ts) drawn with Ink, or the checks of the system
// opened from it (SystemDetail.tsx).
import { Box } from 'ink';
import { memo, useRef } from 'react';
import { scrollWindow } from '../layout.js';
import { clamp, filterOf } from '../ui-state.js';
import { StyledLines } from '../components/StyledLines.js';
import { definePane } from './pane.js';
import { checkDetailText, SystemDetail, systemDetailRows } from './SystemDetail.js';
import { CHECKS_LIST, systemsPlain, systemsText, type SystemsRows } from './systems.js';

export { systemColumns } from './systems.js';

export type SystemsPaneProps = Omit<SystemsRows, 'detail'> & { width: number; rows: number };

/** Memoised: redrawn only when its rows, selection or filter change. */
export const SystemsPane = memo(function SystemsPane(props: SystemsPaneProps) {
  const startRef = useRef(0);
  const text = systemsText({ ...props, detail: false }, startRef.current);
  startRef.current = text.start;
  return (
    <Box flexDirection="column" width={props.width}>
      <StyledLines lines={text.lines} />
    </Box>
  );
});

/** The grid, or the checks of the system opened from it. */
function SystemsView({ detail, ...grid }: SystemsRows & { width: number; rows: number }) {
  return detail ? <SystemDetail width={grid.width} rows={grid.rows} /> : <SystemsPane {...grid} />;
}

export const systemsPane = definePane({
  ...systemsPlain,
  rowsWanted: (input, width) =>
    input.ui.detail
      ? systemDetailRows(input.vm.detailChecks, input.ui.detail.selected, width, input.config.timezone, filterOf(input.ui, CHECKS_LIST) !== '')
      : systemsPlain.rowsWanted!(input, width),
  scrollMax: ({ vm, ui, config }, size) => {
    const check = ui.detail?.full ? vm.detailChecks[Math.min(ui.detail.selected, vm.detailChecks.length - 1)] : undefined;
    return check ? scrollWindow(checkDetailText(check, size.width, config.timezone).length, 0, size.rows - 1).max : 0;
  },
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
  component: SystemsView,
});
